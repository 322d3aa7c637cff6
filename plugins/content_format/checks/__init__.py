"""Check content files before a build and describe each problem as `path:line: message`."""

from .header import (
    DATETIME_FORMAT,
    has_time,
    parse_datetime,
    parse_header,
    read_header,
    split_header,
    text_lines,
)
from .problems import ERROR, WARNING, Field, Problem
from .tree import Report, add_content_check, check_content, check_tree, shown

__all__ = [
    "DATETIME_FORMAT",
    "ERROR",
    "WARNING",
    "Field",
    "Problem",
    "Report",
    "add_content_check",
    "check_content",
    "check_tree",
    "has_time",
    "parse_datetime",
    "parse_header",
    "read_header",
    "shown",
    "split_header",
    "text_lines",
]
