"""What a check reports: one `path:line: message` an editor can act on."""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from l10n.messages import ENGLISH, Message, _, ngettext

ERROR = "error"
WARNING = "warning"
# Each line says what it is in the editor's language, so an error stands out among warnings.
MARKERS = {ERROR: _("error"), WARNING: _("warning")}


@functools.total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing an editor has to fix (an error) or may want to look at (a warning)."""

    path: str
    line: int
    message: Message | str  # a Message, translated when shown; a str only for text not ours
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @functools.cached_property
    def sort_key(self) -> tuple:
        """Order by file, line, then message, in English whatever the editor reads: the same order in
        every language, and worked out once per problem (a sort would translate each one many times)."""
        text = self.message.in_language(ENGLISH) if isinstance(self.message, Message) else self.message
        return (self.path, self.line, text, self.severity)

    def __lt__(self, other: "Problem") -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {MARKERS[self.severity]}: {self.message}"


@dataclass(frozen=True)
class Field:
    """One metadata value, the line it is on and its key as written."""

    value: str
    line: int
    key: str = ""


def summary(errors: int, warnings: int) -> Message:
    """Return the count line that ends every report: '1 error, 5 warnings.'"""
    return _(
        "{errors}, {warnings}.",
        errors=ngettext("{count} error", "{count} errors", errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings),
    )


def shown(path: Path) -> str:
    """Name a file relative to the working folder when it is inside it, as editors see it."""
    # Without resolving links: an lstat per path component for every file costs seconds at archive size.
    absolute = os.path.abspath(path)
    folder = os.path.join(os.getcwd(), "")
    return (absolute[len(folder) :] if absolute.startswith(folder) else absolute).replace(os.sep, "/")
