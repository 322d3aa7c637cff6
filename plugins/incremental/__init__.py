from .incremental import (
    cache_file,
    carry_back,
    current_key,
    markdown_files,
    on_all_cores,
    register,
    source_memo,
    unchanged_output,
)

__all__ = [
    "cache_file",
    "carry_back",
    "current_key",
    "markdown_files",
    "on_all_cores",
    "register",
    "source_memo",
    "unchanged_output",
]
