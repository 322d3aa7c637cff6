from build_core.stores import read_kept, write_kept

from .incremental import cache_file, carry_back, current_key, keep_if_made_from, register, source_memo

__all__ = [
    "cache_file",
    "carry_back",
    "current_key",
    "keep_if_made_from",
    "read_kept",
    "register",
    "source_memo",
    "write_kept",
]
