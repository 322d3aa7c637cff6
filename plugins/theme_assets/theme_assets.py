"""Give theme files fingerprinted URLs (`{{ 'css/site.css'|asset }}`) so servers may cache them for a year."""

import hashlib
import logging
from pathlib import Path

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
    generator.env.filters["asset"] = lambda path: fingerprinted_url(static_root, static_dir, path)


def register():
    signals.generator_init.connect(add_asset_filter)
