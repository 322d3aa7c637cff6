from .pictures import register

__all__ = ["register"]
