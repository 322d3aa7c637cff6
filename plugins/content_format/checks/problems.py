"""What a check reports: one `path:line: message` an editor can act on."""

import os
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix (an error) or may want to look at (a warning)."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Field:
    """One metadata value and the line it is on."""

    value: str
    line: int


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """Return '1 error' or '2 errors'."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def shown(path: Path) -> str:
    """Name a file relative to the working folder when it is inside it, as editors see it."""
    # Without resolving links: an lstat per path component for every file costs seconds at archive size.
    absolute = os.path.abspath(path)
    folder = os.path.join(os.getcwd(), "")
    return (absolute[len(folder) :] if absolute.startswith(folder) else absolute).replace(os.sep, "/")
