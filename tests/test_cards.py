"""A story's card is rendered once per language and way of showing it, however many listings show it."""

from jinja2 import Environment

from bilingual.cards import CardMemo

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
