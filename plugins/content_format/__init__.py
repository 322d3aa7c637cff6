from .checks import add_content_check
from .content_format import ContentErrors, register, stop_build

__all__ = ["ContentErrors", "add_content_check", "register", "stop_build"]
