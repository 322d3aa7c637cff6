"""Render each story's card once per build, however many listings show it.

A story shows on its language's home pages, its section, each of its tags and the events pages: the
same card every time, since a card depends only on the story, the page's language and site address,
and how it is shown. A listing page takes the card from here after the first time.
"""

from jinja2 import pass_context


class CardMemo:
    """A Jinja global: remembered_card(story_card, story, **options) renders story_card once per key."""

    def __init__(self):
        self._cards: dict[tuple, tuple[object, str]] = {}

    @pass_context
    def __call__(self, context, card, story, **options):
        key = (id(story), context.get("lang"), context.get("SITEURL"), tuple(sorted(options.items())))
        remembered = self._cards.get(key)
        # The story is kept with its card: an id is only unique while its object lives.
        if remembered is not None and remembered[0] is story:
            return remembered[1]
        html = card(story, **options)
        self._cards[key] = (story, html)
        return html


def remember_cards(generator) -> None:
    """Give a generator's templates remembered_card, with a memo of its own (one per build)."""
    if hasattr(generator, "env"):
        generator.env.globals["remembered_card"] = CardMemo()
