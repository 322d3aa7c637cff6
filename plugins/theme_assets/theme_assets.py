"""Give theme files fingerprinted URLs (`{{ 'css/site.css'|asset }}`) so servers may cache them for a year."""

import hashlib
import logging
from pathlib import Path

from jinja2 import pass_context
from pelican import signals

logger = logging.getLogger(__name__)

FINGERPRINT_LENGTH = 10


def fingerprinted_url(static_root: Path, static_dir: str, path: str) -> str:
    """Return '<static_dir>/<path>?v=<hash of the file>'; the URL changes whenever the file does."""
    file = static_root / path
    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
    except FileNotFoundError:
        raise ValueError(f"theme file {file} does not exist (asked for by a template's |asset)") from None
    return f"{static_dir}/{path}?v={digest}"


def add_asset_filter(generator) -> None:
    """Register the `asset` filter on a generator's Jinja environment."""
    if not hasattr(generator, "env"):
        return
    static_root = Path(generator.settings["THEME"]) / "static"
    static_dir = generator.settings["THEME_STATIC_DIR"]

    # pass_context keeps Jinja from folding `'css/site.css'|asset` into the compiled template: compiled
    # templates are kept between builds by their source alone, so a folded hash would outlive the file.
    @pass_context
    def asset(context, path: str) -> str:
        return fingerprinted_url(static_root, static_dir, path)

    generator.env.filters["asset"] = asset


def register():
    signals.generator_init.connect(add_asset_filter)
