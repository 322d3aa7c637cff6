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
from .tree import Report, check_content, check_tree, content_checks, shown

__all__ = [
    "DATETIME_FORMAT",
    "ERROR",
    "WARNING",
    "Field",
    "Problem",
    "Report",
    "check_content",
    "check_tree",
    "content_checks",
    "has_time",
    "parse_datetime",
    "parse_header",
    "read_header",
    "shown",
    "split_header",
    "text_lines",
]
