from .schedule import register

__all__ = ["register"]
