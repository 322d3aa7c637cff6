"""Render each story's card once, however many listings and builds show it.

A story shows on its language's home pages, its section, each of its tags and the events pages: the
same card every time, since a card depends only on the story, the page's language and site address,
and how it is shown. A listing page takes the card from here after the first time.

Cards are also kept between builds, by the story's source file and its key (the file's bytes, its
folder's pictures and the build's settings, plugins and theme): adding one story moves every other
story one place down the paginated listings, and those pages are then made of kept cards.
"""

import logging

from jinja2 import pass_context
from markupsafe import Markup

import incremental
from l10n.messages import _

logger = logging.getLogger(__name__)


class CardMemo:
    """A Jinja global: remembered_card(story_card, story, **options) renders story_card once per key."""

    def __init__(self, settings: dict | None = None, name: str = "cards"):
        self._cards: dict[tuple, tuple[object, str]] = {}
        # Kept between builds only within a build (the incremental plugin brings back the workers' cards).
        self._file = incremental.cache_file(f"{name}.pickle") if settings else None
        if self._file is not None and not incremental.carry_back(self):
            self._file = None
        self._kept: dict[tuple, str] | None = None  # (source path, key, language, address, options) -> card
        self._new: dict[tuple, str] = {}

    @pass_context
    def __call__(self, context, card, story, **options):
        lang, siteurl, shown = context.get("lang"), context.get("SITEURL"), tuple(sorted(options.items()))
        key = (id(story), lang, siteurl, shown)
        remembered = self._cards.get(key)
        # The story is kept with its card: an id is only unique while its object lives.
        if remembered is not None and remembered[0] is story:
            return remembered[1]
        source, source_key = getattr(story, "source_path", None), getattr(story, "source_key", None)
        lasting = (source, source_key, lang, siteurl, shown) if self._file and source and source_key else None
        kept = self.kept().get(lasting) if lasting else None
        if kept is not None:
            html = Markup(kept)
        else:
            html = card(story, **options)
            if lasting:
                # Kept as plain text: a build loads every kept card, and a str unpickles in C where
                # Markup, a subclass, calls Python for each of thousands of cards.
                self._new[lasting] = str(html)
        self._cards[key] = (story, html)
        return html

    def kept(self) -> dict[tuple, str]:
        if self._kept is None:
            cards = incremental.read_kept(self._file)
            self._kept = cards if isinstance(cards, dict) else {}  # else made again
        return self._kept

    # The incremental plugin's carrier: cards rendered in a worker are kept by the build.

    def take(self) -> dict[tuple, str]:
        taken, self._new = self._new, {}
        return taken

    def give(self, taken: dict[tuple, str]) -> None:
        self._new.update(taken)

    def save(self) -> None:
        """Keep the new cards, and the kept ones whose source is unchanged."""
        if not self._new or self._file is None:
            return
        cards = {key: html for key, html in self.kept().items() if incremental.current_key(key[0]) == key[1]}
        cards.update(self._new)
        self._new = {}
        try:
            incremental.write_kept(self._file, cards)
        except OSError as error:  # the next build renders them again
            logger.warning(
                _(
                    "Could not keep the story cards in {file} ({reason}); the next build makes them again",
                    file=str(self._file),
                    reason=error.strerror or str(error),
                )
            )


def remember_cards(generator) -> None:
    """Give a generator's templates remembered_card, with a memo of its own (one per build)."""
    if hasattr(generator, "env"):
        name = f"cards-{type(generator).__name__}"
        generator.env.globals["remembered_card"] = CardMemo(generator.settings, name)
