from .incremental import markdown_files, on_all_cores, register, source_memo, unchanged_output

__all__ = ["markdown_files", "on_all_cores", "register", "source_memo", "unchanged_output"]
