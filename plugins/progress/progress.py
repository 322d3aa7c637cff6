"""Show a build's long work as it goes: one line per phase with its count, and a bar on a terminal.

Plugins report their phases here, and nowhere else: `for x in track(items, message)` (a bar that
moves with each item) or `announce(message)` (one line). On a terminal the bar is drawn on
Pelican's own rich console, nested in its "Generating…" status, so that log lines and problems
print above it; anywhere else (CI, a pipe, a file) each phase is one plain line, without control
characters. Pelican's English closing line ("Done: Processed 43 articles, …") is replaced by one
in the editor's language, printed once the new site is in place.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from babel.numbers import format_decimal
from pelican import signals
from pelican.log import console as pelican_console
from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from build_core.core import current_build
from build_core.pelican_seam import PELICAN_DONE, has_render_hook, translate_status
from l10n.messages import Message, _, current_language, ngettext

_console: Console = pelican_console  # tests draw on a console of their own (use_console)


def use_console(console: Console) -> Console:
    """Draw progress on console from now on; return the one used before."""
    global _console
    previous, _console = _console, console
    return previous


def _drawn(console: Console) -> bool:
    """Tell whether a bar can be drawn: a terminal that understands cursor movement."""
    return console.is_terminal and not console.is_dumb_terminal


def _line(message: Message) -> None:
    _console.print(str(message), markup=False, highlight=False, soft_wrap=True)


@contextmanager
def phase(message: Message) -> Iterator[Callable[[int], None]]:
    """Show one phase of message.count steps (an ngettext message); yield what advances it by n."""
    total = message.count
    if total <= 0:
        yield lambda n=1: None
        return
    if not _drawn(_console):
        _line(message)
        yield lambda n=1: None
        return
    bar = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console,
    )
    task = bar.add_task(str(message), total=total)
    with bar:
        yield lambda n=1: bar.advance(task, n)
        bar.update(task, completed=total)


def track(items: Iterable, message: Message, steps: Callable[[object], int] | None = None) -> Iterator:
    """Yield the items, showing the phase (message.count steps) and a bar that moves with each one.

    An item stands for one step, or for steps(item) of them (a chunk of pages from a worker).
    """
    with phase(message) as advance:
        for item in items:
            yield item
            advance(steps(item) if steps else 1)


def announce(message: Message) -> None:
    """Show a phase as one line, whatever the console (none for a count of nothing)."""
    if message.plural is None or message.count > 0:
        _line(message)


class Seconds:
    """A duration written as the editor's language writes decimals: 2.0 in English, 2,0 in Russian."""

    def __init__(self, value: float):
        self.value = value

    def __format__(self, spec: str) -> str:
        return format_decimal(self.value, format="0.0", locale=current_language())


def done_message(counts: dict[str, int], seconds: float) -> Message:
    """Return the build's closing line: its stories, drafts and pages, and how long it took."""
    stories = ngettext("{count} story", "{count} stories", counts["articles"] + counts["hidden_articles"])
    pages = ngettext(
        "{count} page", "{count} pages", counts["pages"] + counts["hidden_pages"] + counts["draft_pages"]
    )
    took = Seconds(seconds)
    if counts["drafts"]:
        drafts = ngettext("{count} draft", "{count} drafts", counts["drafts"])
        return _(
            "Done: {stories}, {drafts} and {pages} in {seconds} s.",
            stories=stories,
            drafts=drafts,
            pages=pages,
            seconds=took,
        )
    return _("Done: {stories} and {pages} in {seconds} s.", stories=stories, pages=pages, seconds=took)


class ClosingLine:
    """A render hook on Pelican's console: its English "Done: …" becomes the editor's language.

    A build that puts its site in place afterwards (atomic_output) holds the line until `finished()`,
    so that it comes last, and never shows it if the build then fails.
    """

    def __init__(self):
        self.held: Message | None = None

    def process_renderables(self, renderables: list[RenderableType]) -> list[RenderableType]:
        kept = []
        for renderable in renderables:
            match = PELICAN_DONE.fullmatch(renderable.plain) if isinstance(renderable, Text) else None
            if match is None:
                kept.append(renderable)
                continue
            counts = {key: int(value) for key, value in match.groupdict().items() if key != "seconds"}
            line = done_message(counts, float(match["seconds"]))
            if current_build() is not None:  # the build core commits the site, then calls finished()
                self.held = line
            else:
                kept.append(Text(str(line)))
        return kept


closing_line = ClosingLine()


def finished() -> None:
    """Show the closing line held until the new site was in place."""
    line, closing_line.held = closing_line.held, None
    if line is not None:
        _line(line)


def translate_spinner(console: Console) -> None:
    """Make Pelican's spinner on console say "Building the site…" in the editor's language."""
    translate_status(console, lambda: str(_("Building the site…")))


def start_build(pelican) -> None:
    """Translate this build's spinner and closing line (put on Pelican's console once per process)."""
    closing_line.held = None
    translate_spinner(pelican_console)
    if not has_render_hook(pelican_console, closing_line):
        # Before any live display starts (Pelican's status comes after this signal), so that each
        # display's own hook, pushed later, is the one it pops.
        pelican_console.push_render_hook(closing_line)


def register():
    signals.initialized.connect(start_build)
