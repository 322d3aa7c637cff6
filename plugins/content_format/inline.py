"""Markdown's inline pass, skipping the patterns that cannot match a text; same output, less time.

Markdown tries each of its inline patterns (code, escapes, links, images, HTML, entities, emphasis…)
on every text of the document, through a general and slow loop, although most of those texts hold
none of the characters a pattern needs. Each known pattern is listed here with the strings one of
which every match of it contains: a text (or what is left of it after the earlier patterns) without
any of them skips the pattern, exactly as if the pattern had been tried and had not matched.
Patterns not listed (from other extensions) are always tried.
"""

from markdown import Markdown, inlinepatterns
from markdown.extensions import Extension

from build_core.pelican_seam import SkippingInlineProcessor

# Markdown's inline patterns (inlinepatterns.py, footnotes.py), by their regular expression.
NEEDLES: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),  # a run of backslashes counts only before a backtick
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnote references
}
# Markdown's name and priority of its inline pass.
NAME = "inline"
PRIORITY = 20


def needles_of(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """Return the strings one of which every match of pattern contains, or None when unknown."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        return tuple(pattern.tokens)  # its regular expression: one token or another
    return NEEDLES.get(pattern.getCompiledRegExp().pattern)


class SkippingInline(Extension):
    """Put the skipping inline pass in the place of Markdown's own."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(SkippingInlineProcessor(md, needles_of), NAME, PRIORITY)
