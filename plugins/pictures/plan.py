"""Plan a story's pictures: inspect each source once per run, then name its derivatives and renditions."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from l10n.translit import slugify

from .geometry import (
    Derivative,
    Rendition,
    centre_crop,
    derivatives,
    fallback_width,
    fit_widths,
    scaled_height,
)
from .options import Options
from .processing import Probe, probe

STEM_LENGTH = 80


@dataclass(frozen=True)
class PictureSource:
    """A source picture file: where it is, the digest of its bytes, and what its header says."""

    path: str
    digest: str
    probe: Probe

    @property
    def stem(self) -> str:
        # Cut long names: a derivative's name adds about 30 characters, and file names end at 255 bytes.
        return slugify(Path(self.path).stem)[:STEM_LENGTH].rstrip("-") or "picture"

    @property
    def formats(self) -> tuple[str, str]:
        """WebP (the srcset), then the one fallback file: PNG for transparent pictures, else JPEG."""
        return ("webp", "png") if self.probe.has_alpha else ("webp", "jpeg")


@dataclass(frozen=True)
class PictureUse:
    """A picture some content shows: its source, the derivatives to make, and where it is referenced."""

    source: PictureSource
    derivatives: tuple[Derivative, ...]
    reference: str  # as the editor wrote it
    line: int
    cover: bool = False  # the story's Image
    alt: str = ""
    credit: str = ""  # as readers see it


@dataclass(frozen=True)
class PublishedPicture:
    """One derivative as other plugins link it (feeds, JSON-LD): URL relative to the site, type, size."""

    url: str
    mime_type: str
    width: int
    height: int
    file: str  # the cached file, published at url by the end of the build

    @property
    def length(self) -> int:
        """Its size in bytes (once the build has made it)."""
        return os.stat(self.file).st_size


class Planner:
    """Plan pictures for one run; reads and inspects each source file once."""

    def __init__(self, options: Options):
        self.options = options
        self._sources: dict[tuple, PictureSource] = {}
        self._files: dict[tuple, tuple[str, Probe]] = {}  # by file (inode), for hard-linked copies

    def source(self, path: Path) -> PictureSource:
        """Return a source's digest and header facts; PictureError if it is no usable picture."""
        stat = path.stat()
        memo_key = (str(path), stat.st_size, stat.st_mtime_ns)
        if memo_key not in self._sources:
            # The same picture hard-linked into several story folders is read and hashed once.
            file_key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if file_key not in self._files:
                facts = probe(path, self.options.max_pixels)  # header only, before reading every byte
                self._files[file_key] = (hashlib.sha256(path.read_bytes()).hexdigest(), facts)
            digest, facts = self._files[file_key]
            self._sources[memo_key] = PictureSource(str(path), digest, facts)
        return self._sources[memo_key]

    def _rendition(self, source: PictureSource, alt: str, sizes: str, box, widths, ratio=None) -> Rendition:
        """Plan a region as WebP at every width that fits, and one fallback file at a middle width."""

        def sized(chosen) -> list:
            return [
                (w, max(1, round(w * ratio[1] / ratio[0])) if ratio else scaled_height(w, box))
                for w in chosen
            ]

        def made(fmt: str, chosen) -> tuple[Derivative, ...]:
            quality = self.options.quality.get(fmt, 0)
            return derivatives(source.digest, source.stem, box, sized(chosen), fmt, quality)

        fitted = fit_widths(box[2] - box[0], widths)
        better, fallback = source.formats
        formats = (
            (better, made(better, fitted)),
            (fallback, made(fallback, [fallback_width(fitted, self.options.fallback_width)])),
        )
        return Rendition(alt, sizes, formats, self.options.url_folder)

    def story(self, source: PictureSource, alt: str) -> Rendition:
        """Plan a picture in the story column: the whole picture at the story widths."""
        size = source.probe.size
        return self._rendition(source, alt, self.options.story_sizes, (0, 0, *size), self.options.widths)

    def card(self, source: PictureSource, alt: str) -> Rendition:
        """Plan a listing card's picture: a centred crop at the card ratio."""
        box = centre_crop(source.probe.size, self.options.card_ratio)
        ratio = self.options.card_ratio
        return self._rendition(source, alt, self.options.card_sizes, box, self.options.card_widths, ratio)

    def open_graph(self, source: PictureSource) -> Derivative:
        """Plan the Open Graph picture: a centred crop at 1200×630 (smaller, never upscaled), in JPEG."""
        og_width, og_height = self.options.og_size
        box = centre_crop(source.probe.size, self.options.og_size)
        width = min(og_width, box[2] - box[0])
        height = max(1, round(width * og_height / og_width))
        (made,) = derivatives(
            source.digest, source.stem, box, [(width, height)], "jpeg", self.options.quality["jpeg"]
        )
        return made
