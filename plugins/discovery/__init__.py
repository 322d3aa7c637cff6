from .discovery import register

__all__ = ["register"]
