import datetime as dt

import pytest

from l10n.dates import iso_datetime, long_date, month_heading, month_name, short_time

NNBSP = "\u202f"  # Babel puts a narrow no-break space before "г."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ru", f"23 апреля 2025{NNBSP}г."), ("kk", "2025 жылғы 23 сәуір")],
)
def test_long_date_in_running_text(lang, expected):
    assert long_date(dt.date(2025, 4, 23), lang) == expected


def test_long_date_of_a_moment_uses_the_almaty_day():
    # 20:30 UTC on 22 April is already 23 April in Almaty (UTC+5).
    moment = dt.datetime(2025, 4, 22, 20, 30, tzinfo=dt.UTC)
    assert long_date(moment, "kk") == "2025 жылғы 23 сәуір"


@pytest.mark.parametrize(("lang", "expected"), [("ru", "апрель 2025"), ("kk", "Сәуір 2025")])
def test_month_heading_uses_the_nominative(lang, expected):
    assert month_heading(dt.date(2025, 4, 1), lang) == expected


def test_kazakh_month_names_are_all_right():
    names = [month_name(m, "kk").lower() for m in range(1, 13)]
    expected = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан"
    assert names == expected.split(" ")


@pytest.mark.parametrize(
    ("moment", "offset"),
    [
        (dt.datetime(2024, 2, 29, 12, 0), "+06:00"),  # before Almaty moved to UTC+5
        (dt.datetime(2024, 3, 1, 12, 0), "+05:00"),
        (dt.datetime(2025, 4, 23, 10, 30), "+05:00"),
    ],
)
def test_iso_datetime_has_the_offset_of_that_day(moment, offset):
    assert iso_datetime(moment).endswith(offset)


def test_short_time_is_almaty_wall_clock():
    assert short_time(dt.datetime(2025, 4, 23, 5, 30, tzinfo=dt.UTC), "ru") == "10:30"
