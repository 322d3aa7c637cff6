import pytest

from l10n.translit import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Алматы қаласының әкімі", "almaty-qalasynyn-akimi"),  # LANGUAGES.md example
        ("және", "jane"),  # Unidecode would drop ә and give "zhne"
        ("Мәдениет", "madeniet"),
        ("Ғылым, Өнер", "gylym-oner"),
        ("Ұлттық үй, Һ", "ulttyq-ui-h"),
        ("Іле Алатауы", "ile-alatauy"),
        ("Ёлка на площади", "iolka-na-ploshadi"),  # ё agrees in both languages: io
        ("Щедрый вечер, объявление", "shedryi-vecher-obiavlenie"),
        ("Цирк и чай", "tsirk-i-chai"),
        ("Библиотеки", "biblioteki"),
        ("WorldSkills Almaty 2025", "worldskills-almaty-2025"),
        ("Café «Алма»", "cafe-alma"),
        ("İstanbul", "istanbul"),  # "İ".lower() is two code points
        ("  -- ", ""),
    ],
)
def test_slugify_reads_kazakh_and_russian(text, slug):
    assert slugify(text) == slug


def test_slug_is_lowercase_ascii_only():
    slug = slugify("Әйгерім ҚҰРМАНҒАЛИЕВА — Ноябрь №5!")
    assert slug == "aigerim-qurmangalieva-noiabr-no5"
    assert slug.isascii() and slug == slug.lower()
