from .l10n import register

__all__ = ["register"]
