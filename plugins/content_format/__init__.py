from .content_format import ContentErrors, register

__all__ = ["ContentErrors", "register"]
