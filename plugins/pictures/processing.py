"""Read pictures safely and make their derivatives with Pillow; make_derivatives runs in worker processes."""

import contextlib
import fcntl
import hashlib
import io
import os
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from content_format.layout import PICTURE_KINDS, PICTURE_SUFFIXES
from l10n.messages import Message, _

from .geometry import EXTENSIONS, Derivative, Operation, Size, jpeg_decode_scale, upright_size
from .references import PictureError

# Formats editors' cameras, phones and editors produce; anything else is refused with a clear line
# (and Pillow never even tries its riskier plugins, such as EPS through Ghostscript). HEIF (.heic,
# .heif, .hif) is what iPhones and many cameras save: read by pillow-heif's libheif.
SOURCE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "AVIF", "HEIF")
pillow_heif.register_heif_opener()
JPEG_FORMATS = frozenset({"JPEG", "MPO"})  # some cameras write MPO: a JPEG with extra pictures
ANIMATED_FORMATS = frozenset({"GIF", "PNG", "WEBP", "AVIF"})  # MPO "frames" are stereo pairs, not motion
# What Pillow raises on damaged files, besides OSError.
DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, ImageCms.PyCMSError)
# The transposition that shows each EXIF orientation upright (the table ImageOps.exif_transpose uses).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})
WHITE = (255, 255, 255, 255)
# Shrink by whole factors (fast box filter) only down to 3x the target before the bicubic filter.
REDUCING_GAP = 3.0
# Bicubic rather than Lanczos: after the draft decode every scaling is by less than 2x (3x after the
# box reduction), where the two differ by 42-44 dB PSNR (far below the encoding loss, about 36-39 dB)
# and bicubic costs a third less.
RESAMPLING = Image.Resampling.BICUBIC
# WebP method 2, not 4: on photographs it encodes 2.5x faster for 5-7% more bytes at the same PSNR;
# methods 0 and 1 give 35-50% more bytes.
WEBP_METHOD = 2
# JPEGs are decoded at most at this draft reduction; smaller bases are box-reduced from it.
DECODED_SCALE = 2


def is_picture_file(path: Path) -> bool:
    """Tell whether a file is a picture by its name, as the content checks do (any case: IMG_0001.JPG)."""
    return path.suffix.lower() in PICTURE_SUFFIXES


@dataclass(frozen=True)
class Probe:
    """What a picture's header says: enough to plan its derivatives without decoding it."""

    format: str
    raw_size: Size
    orientation: int
    has_alpha: bool
    animated: bool

    @property
    def size(self) -> Size:
        """The size it shows at, upright."""
        return upright_size(self.raw_size, self.orientation)


@contextmanager
def _pixel_limit(limit: int | None) -> Iterator[None]:
    """Let Pillow's own decompression-bomb checks use our limit (None: ours only) while reading."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def too_large(size: Size, max_pixels: int) -> Message | None:
    """Say why a picture of this size is refused ({picture} to fill in), or None within the limit."""
    width, height = size
    if width * height <= max_pixels:
        return None
    return _(
        "picture '{picture}' is {width}×{height} pixels ({megapixels} megapixels), over the limit of "
        "{limit} megapixels; scale it down before adding it",
        width=width,
        height=height,
        megapixels=f"{width * height / 1e6:.0f}",
        limit=f"{max_pixels / 1e6:g}",
    )


def _orientation(image: Image.Image) -> int:
    # A PNG keeps EXIF in an eXIf chunk, read with the header only when it comes before the pixels;
    # reading a late one means decoding everything, so such a (rare) tag is ignored.
    if image.format == "PNG" and "exif" not in image.info:
        return 1
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except DAMAGED:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _open(source: Path | bytes) -> Image.Image:
    fp = io.BytesIO(source) if isinstance(source, bytes) else source
    return Image.open(fp, formats=SOURCE_FORMATS)


def probe(path: Path, max_pixels: int) -> Probe:
    """Read a picture's header (not its pixels) and check it; PictureError says what is wrong."""
    try:
        with _pixel_limit(None):  # we check the size ourselves, to name it in the message
            image = _open(path)
    except UnidentifiedImageError:
        raise PictureError(
            _(
                "picture '{picture}' is not a picture in a format the site can publish ({kinds})",
                kinds=PICTURE_KINDS,
            )
        ) from None
    except DAMAGED:  # Pillow's own words are for programmers; the editor needs what to do
        raise PictureError(_("picture '{picture}' cannot be read; export it again")) from None
    with image:
        message = too_large(image.size, max_pixels)
        if message:
            raise PictureError(message)
        try:
            animated = image.format in ANIMATED_FORMATS and bool(getattr(image, "is_animated", False))
        except DAMAGED:
            raise PictureError(_("picture '{picture}' is damaged; export it again")) from None
        return Probe(
            format=image.format,
            raw_size=image.size,
            orientation=_orientation(image),
            has_alpha=image.has_transparency_data,
            animated=animated,
        )


def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_eight_bits(image: Image.Image) -> Image.Image:
    """Scale a 16-bit (or 32-bit) grey picture to 8 bits; a plain convert() would clip it to white."""
    if image.mode == "F":
        low, high = image.getextrema()
        scale = 255 / (high - low) if high > low else 0
        return image.point(lambda v: (v - low) * scale).convert("L")
    return image.convert("I").point(lambda v: v * (1 / 257)).convert("L")


def to_srgb(image: Image.Image) -> Image.Image:
    """Return the picture in 8-bit sRGB, as RGB, or RGBA when it has transparency."""
    profile = image.info.get("icc_profile")
    if image.mode in SIXTEEN_BIT_MODES or image.mode == "F":
        image = _to_eight_bits(image)
    elif image.mode in ("P", "PA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif image.mode in ("LA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        # An unusable embedded profile is ignored: its pixels are taken as sRGB, as browsers would.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                _srgb_profile(),
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.info = {}
    return image


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """Turn a picture as its EXIF orientation says."""
    method = UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


def decode(data: bytes, probe_: Probe, scale: int = 1) -> Image.Image:
    """Decode the first frame, at 1/scale for JPEG (draft mode), upright and in sRGB."""
    image = _open(data)
    if image.format in JPEG_FORMATS and scale > 1:
        width, height = image.size
        image.draft(None, (width // scale, height // scale))
    image.load()
    return to_srgb(upright(image, probe_.orientation))


def render(base: Image.Image, op: Operation, source_size: Size) -> Image.Image:
    """Scale the operation's region of a decoded (possibly reduced) picture to its size."""
    fx, fy = base.width / source_size[0], base.height / source_size[1]
    box = (op.box[0] * fx, op.box[1] * fy, op.box[2] * fx, op.box[3] * fy)
    result = base.resize((op.width, op.height), RESAMPLING, box=box, reducing_gap=REDUCING_GAP)
    result.info = {}
    return result


def encode(image: Image.Image, op: Operation) -> bytes:
    """Encode a derivative with no metadata at all: no EXIF, GPS, XMP, camera serial or ICC profile."""
    out = io.BytesIO()
    if op.format == "jpeg":
        if image.mode == "RGBA":
            image = Image.alpha_composite(Image.new("RGBA", image.size, WHITE), image).convert("RGB")
        # Baseline with optimised Huffman tables: progressive JPEG took 2.5x the time for 0-3% fewer
        # bytes, and the JPEG is only the fallback of browsers without WebP (and feeds' pictures).
        image.save(out, "JPEG", quality=op.quality, optimize=True, subsampling="4:2:0")
    elif op.format == "webp":
        image.save(out, "WEBP", quality=op.quality, method=WEBP_METHOD)
    else:
        image.save(out, "PNG", compress_level=7)
    return out.getvalue()


STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(?:webp|jpg|png)$")


@dataclass(frozen=True)
class Store:
    """Derivatives kept on disk between builds, each file named by its key."""

    root: Path

    def path(self, derivative: Derivative) -> Path:
        return self.root / derivative.key[:2] / f"{derivative.key}.{EXTENSIONS[derivative.format]}"

    def has(self, derivative: Derivative) -> bool:
        return self.path(derivative).is_file()

    def write(self, derivative: Derivative, data: bytes) -> None:
        """Write a derivative whole or not at all (a temporary file renamed into place)."""
        target = self.path(derivative)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)

    def prune(self, keep: set[Path]) -> list[Path]:
        """Delete the derivatives not in keep, and stale temporary files; return what went.

        Only files named as this store names them are touched, whatever else shares the folder.
        """
        removed = []
        for path in sorted(self.root.glob("[0-9a-f][0-9a-f]/*")):
            if path not in keep and (STORED_NAME.match(path.name) or path.name.endswith(".tmp")):
                path.unlink()
                removed.append(path)
                if not any(path.parent.iterdir()):
                    path.parent.rmdir()
        return removed


class StoreUse:
    """A build's hold on the picture cache, which several builds may share (a preview while the tests
    run): shared from planning to publishing, so that no other build prunes what this one is about to
    link; pruning needs the cache alone and is left to a later build while others hold it."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self._file = (root / ".lock").open("a+b")  # prune() only touches files named as derivatives
        fcntl.flock(self._file, fcntl.LOCK_SH)

    def alone(self) -> bool:
        """Tell whether no other build holds the cache now; if so, keep it to this build alone."""
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Job:
    """Make some derivatives of one source file."""

    path: str
    digest: str
    probe: Probe
    derivatives: tuple[Derivative, ...]


@dataclass(frozen=True)
class JobResult:
    digest: str
    made: int
    error: Message | None = None  # with {picture} to fill in


def _scale_groups(job: Job) -> dict[int, list[Derivative]]:
    groups: dict[int, list[Derivative]] = {}
    for derivative in job.derivatives:
        scale = 1
        if job.probe.format in JPEG_FORMATS:
            scale = jpeg_decode_scale(job.probe.raw_size, job.probe.orientation, derivative.op)
        groups.setdefault(scale, []).append(derivative)
    return dict(sorted(groups.items()))


class Bases:
    """The decoded pictures a job's derivatives are scaled from, each made once per job.

    A JPEG is decoded (in draft mode) at most at 1/2 of its size; the bases at 1/4 and 1/8 are
    reduced from that one by box filtering, which costs a few milliseconds where another decode
    costs as much as the first. A base depends only on the source and the scale, never on which
    other derivatives the job makes, so a derivative's bytes stay a function of its key.
    """

    def __init__(self, data: bytes, probe_: Probe):
        self.data, self.probe = data, probe_
        self._made: dict[int, Image.Image] = {}

    def at(self, scale: int) -> Image.Image:
        if scale not in self._made:
            first = min(scale, DECODED_SCALE)
            if first == scale:
                self._made[scale] = decode(self.data, self.probe, scale)
            else:
                self._made[scale] = self.at(first).reduce(scale // first)
        return self._made[scale]


def _failure(error: BaseException, max_pixels: int) -> Message:
    """Say what is wrong with a picture that could not be decoded ({picture} to fill in)."""
    if isinstance(error, PictureError):
        return error.message
    if isinstance(error, Image.DecompressionBombError):
        return _(
            "picture '{picture}' is over the limit of {limit} megapixels; scale it down",
            limit=f"{max_pixels / 1e6:g}",
        )
    if isinstance(error, MemoryError):
        return _("picture '{picture}' is too large to decode in memory; scale it down")
    # Pillow's own words ("image file is truncated") are for programmers, and English.
    return _("picture '{picture}' is damaged or incomplete; export it again")


# What decoding a picture may raise for a bad file (anything else is a bug, and is not hidden).
DECODING_FAILURES = (PictureError, Image.DecompressionBombError, MemoryError, *DAMAGED)
# The draft reduction a JPEG is verified at: decoding still reads every byte (so a cut-short or
# damaged file fails) but skips most of the pixel work: 30 ms rather than 43 ms at 4000×3000.
VERIFY_SCALE = 8


def verify(path: Path, max_pixels: int) -> Message | None:
    """Decode a picture through to its last byte; say what is wrong with it ({picture} to fill in) or None."""
    try:
        with _pixel_limit(max_pixels), _open(path) as image:
            if image.format in JPEG_FORMATS:
                image.draft(None, (image.width // VERIFY_SCALE, image.height // VERIFY_SCALE))
            image.load()
    except DECODING_FAILURES as error:
        return _failure(error, max_pixels)
    return None


def make_derivatives(job: Job, store: Store, max_pixels: int) -> JobResult:
    """Make a job's derivatives into the store; never raises for a bad picture, says what is wrong."""
    made = 0
    try:
        data = Path(job.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != job.digest:
            return JobResult(
                job.digest, made, _("picture '{picture}' changed while the site was being built; build again")
            )
        with _pixel_limit(max_pixels):
            bases = Bases(data, job.probe)
            for scale, group in _scale_groups(job).items():
                base = bases.at(scale)
                # The same region at the same size in WebP and in JPEG: scaled once, encoded twice.
                scaled: dict[tuple, Image.Image] = {}
                for derivative in group:
                    op = derivative.op
                    region = (op.box, op.width, op.height)
                    if region not in scaled:
                        scaled[region] = render(base, op, job.probe.size)
                    encoded = encode(scaled[region], op)
                    try:
                        store.write(derivative, encoded)
                    except OSError:
                        unsaved = _(
                            "picture '{picture}' could not be saved in the picture cache {cache}; "
                            "free some space or make the folder writable, and build again",
                            cache=str(store.root),
                        )
                        return JobResult(job.digest, made, unsaved)
                    made += 1
    except DECODING_FAILURES as error:
        return JobResult(job.digest, made, _failure(error, max_pixels))
    return JobResult(job.digest, made)
