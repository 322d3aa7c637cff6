from .incremental import on_all_cores, register, source_memo, unchanged_output

__all__ = ["on_all_cores", "register", "source_memo", "unchanged_output"]
