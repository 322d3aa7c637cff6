from .checks import content_checks
from .content_format import ContentErrors, register, stop_build

__all__ = ["ContentErrors", "content_checks", "register", "stop_build"]
