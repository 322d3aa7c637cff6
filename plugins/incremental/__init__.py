from .incremental import register, source_memo, unchanged_output

__all__ = ["register", "source_memo", "unchanged_output"]
