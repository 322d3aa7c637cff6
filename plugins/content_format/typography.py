"""Markdown's smarty typography (quotes, dashes, ellipses) at a fraction of its cost, same output.

Smarty runs a second inline-pattern pass over every text of the document: some twenty patterns
tried one by one through Markdown's general (and slow) pattern machinery. Here the very same
patterns, made by smarty from the same settings, are applied by a small loop that keeps smarty's
rules: patterns in their priority order, each match replaced by a placeholder that the later
patterns see (and never match inside), code and other atomic text left alone. A text with no quote,
double dash, three dots or doubled angle bracket (most of them) is not searched at all.
"""

import re
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

# Smarty registers its pass under this name and priority: after the inline patterns (20) and the
# prettifier (10), before the unescaping of backslash escapes (0).
NAME = "smarty"
PRIORITY = 6
# Stands for a substitution while the later patterns run. Like Markdown's own placeholders it starts
# and ends with STX/ETX (what smarty's lookarounds see of a substitution) and holds only letters,
# digits and a colon, where no pattern can begin a match.
_MARK = STX + "typo:{}" + ETX
_MARKS = re.compile(re.escape(STX) + r"typo:(\d+)" + re.escape(ETX))
# Each of smarty's patterns consumes one of these (a quote, two dashes, three dots, an angled quote);
# a text with none of them is left as it is (finding them is much cheaper than running any pattern).
NEEDLES = ("'", '"', "--", "...", "<<", ">>")


def may_change(text: str) -> bool:
    """Tell whether smarty could change anything in text."""
    return any(needle in text for needle in NEEDLES)


class _Typography(Treeprocessor):
    def __init__(self, md: Markdown, patterns: list):
        super().__init__(md)
        self.patterns = [(pattern.getCompiledRegExp(), pattern) for pattern in patterns]

    def educate(self, text: str) -> str:
        """Return text with smarty's substitutions made, exactly as smarty's own pass makes them."""
        if not may_change(text):
            return text
        stashed: list[str] = []
        for regex, pattern in self.patterns:
            start = 0
            while match := regex.search(text, start):
                replacement, begin, end = pattern.handleMatch(match, text)
                mark = _MARK.format(len(stashed))
                stashed.append(replacement)
                text = f"{text[:begin]}{mark}{text[end:]}"
                start = begin + len(mark)
        return _MARKS.sub(lambda found: stashed[int(found.group(1))], text)

    def run(self, root: Element) -> None:
        # Breadth first like Markdown's InlineProcessor, so raw-HTML stash numbers come out the same.
        queue = [root]
        for parent in queue:
            for child in parent:
                if child.text and not isinstance(child.text, AtomicString):
                    child.text = self.educate(child.text)
                if child.tail and not isinstance(child.tail, AtomicString):
                    child.tail = self.educate(child.tail)
                if len(child):
                    queue.append(child)


class Typography(SmartyExtension):
    """Smarty with the same options (quotes, dashes, ellipses, substitutions), much faster."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        super().extendMarkdown(md)
        # Smarty's patterns, in the order its own pass would try them.
        patterns = list(md.treeprocessors[NAME].inlinePatterns)
        md.treeprocessors.register(_Typography(md, patterns), NAME, PRIORITY)


def makeExtension(**kwargs) -> Typography:  # noqa: N802 (Markdown's API name)
    """Let the MARKDOWN setting name this module as an extension."""
    return Typography(**kwargs)
