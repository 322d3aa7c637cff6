from .bilingual import register

__all__ = ["register"]
