from .incremental import (
    cache_file,
    carry_back,
    content_tree,
    current_key,
    markdown_files,
    on_all_cores,
    register,
    source_memo,
    unchanged_output,
)
from .reads import read_kept, write_kept

__all__ = [
    "cache_file",
    "carry_back",
    "content_tree",
    "current_key",
    "markdown_files",
    "on_all_cores",
    "read_kept",
    "register",
    "source_memo",
    "unchanged_output",
    "write_kept",
]
