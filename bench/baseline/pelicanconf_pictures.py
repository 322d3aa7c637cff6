"""The stock settings plus pelican-image-process: the cover picture in two widths (640 and 1280 px)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

PLUGINS = [*PLUGINS, "image_process"]  # noqa: F405
IMAGE_PROCESS = {
    "cover": {
        "type": "responsive-image",
        "srcset": [
            ("640w", ["scale_in 640 None False"]),
            ("1280w", ["scale_in 1280 None False"]),
        ],
        "default": "640w",
        "sizes": "(min-width: 1280px) 1280px, 100vw",
    }
}
