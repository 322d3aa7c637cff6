"""The pictures plugin's settings: defaults, merged over by pelicanconf, validated once."""

from dataclasses import dataclass
from pathlib import Path

from build_core.core import worker_count
from l10n.messages import Message, _, ngettext

# Story column: at most 42rem wide inside 1rem page margins (theme/static/css/site.css).
STORY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# Listing cards: a grid of columns at least 19rem wide with 1.25rem gaps, inside 1rem margins and
# a 72rem page: one column below 41.25rem, two below 61.5rem, then three of at most 22.5rem.
CARD_SIZES = (
    "(min-width: 72rem) 22.5rem, (min-width: 61.5rem) calc((100vw - 4.5rem) / 3), "
    "(min-width: 41.25rem) calc((100vw - 3.25rem) / 2), calc(100vw - 2rem)"
)
# Gallery thumbnails: two columns with a 0.5rem gap in the story column below 30rem, three above.
GALLERY_SIZES = (
    "(min-width: 44rem) 13.6rem, (min-width: 30rem) calc((100vw - 3rem) / 3), calc((100vw - 2.5rem) / 2)"
)

DEFAULTS = {
    # Where derivatives are kept between builds, outside the output; None: <CACHE_PATH>/pictures.
    "PICTURES_CACHE_PATH": None,
    # URL folder (under SITEURL and OUTPUT_PATH) the derivatives are published in.
    "PICTURES_URL_FOLDER": "media",
    # Story column: 360 and 720 cover phones at 1x-2x and the desktop column at 1x; 1080 phones at
    # 3x; 1440 the 42rem (672 px) column at 2x.
    "PICTURES_WIDTHS": (360, 720, 1080, 1440),
    "PICTURES_CARD_WIDTHS": (400, 800, 1200),
    # Every browser in use reads WebP (Safari since 14, 2020): the widths above are made in WebP only.
    # Each picture also keeps one JPEG (PNG when it has transparency) for the <img src>, feeds and
    # link previews, at the narrowest of its widths at least this wide (the story column at 1x,
    # a phone at 2x; 800 for a card), or its widest when it is smaller.
    "PICTURES_FALLBACK_WIDTH": 720,
    "PICTURES_CARD_RATIO": (3, 2),
    "PICTURES_OG_SIZE": (1200, 630),
    # Chosen by measuring bytes against SSIM on eight real photographs at up to 720 px: from JPEG 70
    # to 90 each step buys about as much as the last (no knee); at 80 blocking on fine texture (fur,
    # leaves) is gone at 3x zoom, while 70 shows it. WebP 80 (method 4; method 2 is
    # used, see processing.WEBP_METHOD) matches JPEG 80's SSIM
    # (0.966) with 28% fewer bytes; WebP below 80 smears texture.
    "PICTURES_QUALITY": {"webp": 80, "jpeg": 80},
    # Larger sources are refused before decoding (decompression bombs: a 13,500 px square PNG can be
    # 22 KB on disk and 550 MB decoded to RGB). 80 megapixels admits any camera an editor is likely to have.
    "PICTURES_MAX_PIXELS": 80_000_000,
    "PICTURES_STORY_SIZES": STORY_SIZES,
    "PICTURES_CARD_SIZES": CARD_SIZES,
    "PICTURES_GALLERY_SIZES": GALLERY_SIZES,
}


class SettingsError(SystemExit):
    """A pictures setting is wrong: the build stops with exit status 1 and one line saying why."""

    def __init__(self, message: Message):
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Options:
    """The validated settings one build uses."""

    cache_path: Path
    url_folder: str
    widths: tuple[int, ...]
    card_widths: tuple[int, ...]
    fallback_width: int
    card_ratio: tuple[int, int]
    og_size: tuple[int, int]
    quality: dict
    max_pixels: int
    workers: int
    story_sizes: str
    card_sizes: str
    gallery_sizes: str


def _positive_ints(name: str, value, count: int | None = None) -> tuple[int, ...]:
    try:
        numbers = tuple(value)
    except TypeError:
        numbers = ()
    if (
        not numbers
        or (count is not None and len(numbers) != count)
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers)
    ):
        if count:
            raise SettingsError(
                ngettext(
                    "{name} must be {count} positive whole number, not {value}",
                    "{name} must be {count} positive whole numbers, not {value}",
                    count,
                    name=name,
                    value=repr(value),
                )
            )
        raise SettingsError(
            _("{name} must be a list of positive whole numbers, not {value}", name=name, value=repr(value))
        )
    return numbers


def cache_path_of(settings: dict, configured: str | Path | None) -> Path:
    """Return the pictures' cache folder (CACHE_PATH/pictures unless set); refuse one inside the output."""
    cache = Path(settings.get("CACHE_PATH", "cache")) / "pictures" if configured is None else configured
    cache = Path(cache).resolve()
    output = Path(settings.get("OUTPUT_PATH", "output")).resolve()
    if cache == output or output in cache.parents:
        raise SettingsError(
            _(
                "PICTURES_CACHE_PATH {cache} is inside the output folder; keep it outside so it survives "
                "cleaning the output",
                cache=str(cache),
            )
        )
    return cache


def options_of(settings: dict) -> Options:
    """Return the plugin's settings merged over the defaults and checked; SettingsError if wrong."""
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    cache = cache_path_of(settings, merged["PICTURES_CACHE_PATH"])
    folder = merged["PICTURES_URL_FOLDER"]
    if not isinstance(folder, str) or not folder.strip("/") or ".." in folder.split("/"):
        raise SettingsError(
            _("PICTURES_URL_FOLDER must be a folder name like 'media', not {value}", value=repr(folder))
        )
    quality = merged["PICTURES_QUALITY"]
    if not isinstance(quality, dict) or not all(
        isinstance(quality.get(f), int) and 1 <= quality[f] <= 100 for f in ("webp", "jpeg")
    ):
        raise SettingsError(
            _(
                "PICTURES_QUALITY must give webp and jpeg a quality from 1 to 100, not {value}",
                value=repr(quality),
            )
        )
    (max_pixels,) = _positive_ints("PICTURES_MAX_PIXELS", [merged["PICTURES_MAX_PIXELS"]], 1)
    (fallback,) = _positive_ints("PICTURES_FALLBACK_WIDTH", [merged["PICTURES_FALLBACK_WIDTH"]], 1)
    for name in ("PICTURES_STORY_SIZES", "PICTURES_CARD_SIZES", "PICTURES_GALLERY_SIZES"):
        if not isinstance(merged[name], str) or not merged[name].strip():
            raise SettingsError(
                _(
                    "{name} must be an HTML sizes attribute value, not {value}",
                    name=name,
                    value=repr(merged[name]),
                )
            )
    return Options(
        cache_path=cache,
        url_folder=folder.strip("/"),
        widths=tuple(sorted(_positive_ints("PICTURES_WIDTHS", merged["PICTURES_WIDTHS"]))),
        card_widths=tuple(sorted(_positive_ints("PICTURES_CARD_WIDTHS", merged["PICTURES_CARD_WIDTHS"]))),
        fallback_width=fallback,
        card_ratio=_positive_ints("PICTURES_CARD_RATIO", merged["PICTURES_CARD_RATIO"], 2),
        og_size=_positive_ints("PICTURES_OG_SIZE", merged["PICTURES_OG_SIZE"], 2),
        quality={"webp": quality["webp"], "jpeg": quality["jpeg"]},
        max_pixels=max_pixels,
        workers=worker_count(settings),  # the build's one setting, BUILD_WORKERS
        story_sizes=merged["PICTURES_STORY_SIZES"],
        card_sizes=merged["PICTURES_CARD_SIZES"],
        gallery_sizes=merged["PICTURES_GALLERY_SIZES"],
    )
