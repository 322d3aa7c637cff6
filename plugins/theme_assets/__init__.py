from .theme_assets import register

__all__ = ["register"]
