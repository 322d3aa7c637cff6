"""A story's card is rendered once per language and way of showing it, however many listings show it."""

import pickle

from jinja2 import Environment
from markupsafe import Markup

from bilingual.cards import CardMemo
from build_core.core import Build
from incremental.incremental import source_keys

LISTING = Environment(autoescape=True, extensions=["jinja2.ext.do"]).from_string(
    "{% macro card(story, eager=false) %}{% do count(story) %}{{ lang }}:{{ story.title }}:{{ eager }}"
    "{% endmacro %}"
    "{% for story in stories %}[{{ remembered_card(card, story, eager=loop.first) }}]{% endfor %}"
)


class Story:
    def __init__(self, title):
        self.title = title


def test_a_card_is_made_once_per_story_language_and_options():
    memo, made = CardMemo(), []
    first, second = Story("Ярмарка"), Story("Жәрмеңке")

    def render(stories, lang):
        return LISTING.render(stories=stories, lang=lang, remembered_card=memo, count=made.append)

    assert render([first, second], "ru") == "[ru:Ярмарка:True][ru:Жәрмеңке:False]"
    assert render([second, first], "ru") == "[ru:Жәрмеңке:True][ru:Ярмарка:False]"
    assert render([first, second], "ru") == "[ru:Ярмарка:True][ru:Жәрмеңке:False]"
    assert len(made) == 4  # each story shown eagerly and lazily, once each
    assert render([first], "kk") == "[kk:Ярмарка:True]"
    assert len(made) == 5


class SourceStory(Story):
    def __init__(self, title, source_path, source_key):
        super().__init__(title)
        self.source_path, self.source_key = source_path, source_key


def start_build(tmp_path, keys: dict[str, str]) -> Build:
    """A build whose sources have these keys, as the incremental plugin gives them."""
    settings = {"PATH": str(tmp_path), "PLUGIN_PATHS": [], "THEME": "", "CACHE_PATH": str(tmp_path / "cache")}
    build = Build(settings, tmp_path / "output", tmp_path / "staging")
    source_keys(build).keys.update(keys)
    return build


def test_cards_are_kept_between_builds_while_their_source_is_unchanged(tmp_path):
    made = []

    def render(memo, stories):
        return LISTING.render(stories=stories, lang="ru", remembered_card=memo, count=made.append)

    build = start_build(tmp_path, {"/c/a/ru.md": "k1", "/c/b/ru.md": "k2"})
    with build.running():
        memo = CardMemo(build.settings)
        stories = [SourceStory("Ярмарка", "/c/a/ru.md", "k1"), SourceStory("Каток", "/c/b/ru.md", "k2")]
        assert render(memo, stories) == "[ru:Ярмарка:True][ru:Каток:False]"
        build.save()
    assert len(made) == 2

    # The next build: the first story changed (its key), the second did not.
    build = start_build(tmp_path, {"/c/a/ru.md": "k3", "/c/b/ru.md": "k2"})
    with build.running():
        memo = CardMemo(build.settings)
        stories = [SourceStory("Ярмарка!", "/c/a/ru.md", "k3"), SourceStory("Каток", "/c/b/ru.md", "k2")]
        assert render(memo, stories) == "[ru:Ярмарка!:True][ru:Каток:False]"
        assert [story.title for story in made[2:]] == ["Ярмарка!"]
        memo.save()
    kept = pickle.loads((tmp_path / "cache/incremental/cards.pickle").read_bytes())[1]
    assert sorted(key[1] for key in kept) == ["k2", "k3"]  # the card of k1 is gone with its source


def test_cards_made_in_a_render_worker_are_kept_by_the_build(tmp_path):
    build = start_build(tmp_path, {"/c/a/ru.md": "k1"})
    with build.running():
        in_build, in_worker = CardMemo(build.settings), CardMemo()
        in_worker._new[("/c/a/ru.md", "k1", "ru", "", (("eager", True),))] = Markup("<article>")
        in_build.give(in_worker.take())
        assert in_worker.take() == {}
        in_build.save()
    build = start_build(tmp_path, {"/c/a/ru.md": "k1"})
    with build.running():
        again = CardMemo(build.settings)
    story = SourceStory("Ярмарка", "/c/a/ru.md", "k1")
    page = LISTING.render(stories=[story], lang="ru", SITEURL="", remembered_card=again, count=None.__eq__)
    assert page == "[<article>]"  # the worker's card, not rendered again
