from datetime import date

import pytest

from app.domain.rules import (
    HOURS_PER_CREDIT_DEFAULT,
    PD_INTERVAL_YEARS,
    YOUNG_AGE_LIMIT,
    YOUNG_EXPERIENCE_YEARS,
    PdStatus,
    add_months,
    add_years,
    age_on,
    credits_from_hours,
    experience_years,
    is_young_teacher,
    next_pd_due,
    pd_status,
)


def test_constants():
    assert (HOURS_PER_CREDIT_DEFAULT, PD_INTERVAL_YEARS) == (36, 3)
    assert (YOUNG_AGE_LIMIT, YOUNG_EXPERIENCE_YEARS) == (35, 3)


# ---------------------------------------------------------------- date arithmetic

@pytest.mark.parametrize(
    "d, years, expected",
    [
        (date(2021, 3, 5), 3, date(2024, 3, 5)),
        (date(2020, 2, 29), 3, date(2023, 2, 28)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2021, 12, 31), 1, date(2022, 12, 31)),
    ],
)
def test_add_years(d, years, expected):
    assert add_years(d, years) == expected


@pytest.mark.parametrize(
    "d, months, expected",
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_months(d, months, expected):
    assert add_months(d, months) == expected


@pytest.mark.parametrize(
    "birth, on, expected",
    [
        (date(1990, 6, 15), date(2025, 6, 14), 34),
        (date(1990, 6, 15), date(2025, 6, 15), 35),
        (date(1990, 6, 15), date(1990, 6, 15), 0),
        # ГК РФ ст. 192: a 29 February birthday is reached on 28 February in a common year
        (date(2000, 2, 29), date(2001, 2, 27), 0),
        (date(2000, 2, 29), date(2001, 2, 28), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


def test_age_on_birth_after_date():
    with pytest.raises(ValueError, match="Дата рождения 02.01.2025 позже даты 01.01.2025"):
        age_on(date(2025, 1, 2), date(2025, 1, 1))


def test_experience_years():
    assert experience_years(date(2020, 9, 1), date(2023, 8, 31)) == 2
    assert experience_years(date(2020, 9, 1), date(2023, 9, 1)) == 3
    assert experience_years(None, date(2023, 9, 1)) == 0
    assert experience_years(date(2026, 9, 1), date(2025, 9, 1)) == 0


# ---------------------------------------------------------------- professional development

def test_next_pd_due_from_last_course():
    assert next_pd_due(date(2022, 12, 15)) == date(2025, 12, 15)
    assert next_pd_due(date(2022, 12, 15), date(2010, 9, 1)) == date(2025, 12, 15)
    assert next_pd_due(date(2020, 2, 29)) == date(2023, 2, 28)


def test_next_pd_due_from_start_of_work():
    assert next_pd_due(None, date(2024, 9, 1)) == date(2027, 9, 1)


def test_next_pd_due_unknown():
    assert next_pd_due(None, None) is None
    assert next_pd_due(None) is None


TODAY = date(2025, 8, 31)


@pytest.mark.parametrize(
    "due, expected",
    [
        (None, PdStatus.UNKNOWN),
        (date(2025, 8, 30), PdStatus.OVERDUE),
        (date(2022, 1, 1), PdStatus.OVERDUE),
        (date(2025, 8, 31), PdStatus.DUE_SOON),  # the due day itself is not overdue yet
        (date(2025, 9, 1), PdStatus.DUE_SOON),
        (date(2026, 2, 28), PdStatus.DUE_SOON),  # 31 August + 6 months clamps to 28 February
        (date(2026, 3, 1), PdStatus.OK),
        (date(2027, 1, 1), PdStatus.OK),
    ],
)
def test_pd_status(due, expected):
    assert pd_status(due, TODAY) is expected


def test_pd_status_custom_warning():
    assert pd_status(date(2025, 10, 1), TODAY, warn_months=1) is PdStatus.OK
    assert pd_status(date(2025, 9, 30), TODAY, warn_months=1) is PdStatus.DUE_SOON
    assert pd_status(date(2025, 8, 31), TODAY, warn_months=0) is PdStatus.DUE_SOON
    assert pd_status(date(2025, 9, 1), TODAY, warn_months=0) is PdStatus.OK
    with pytest.raises(ValueError):
        pd_status(date(2025, 9, 1), TODAY, warn_months=-1)


def test_pd_status_values_and_labels():
    assert [s.value for s in PdStatus] == ["ok", "due_soon", "overdue", "unknown"]
    assert PdStatus("overdue") is PdStatus.OVERDUE
    assert PdStatus.OVERDUE == "overdue"
    assert f"{PdStatus.DUE_SOON}" == "due_soon"
    assert [s.label for s in PdStatus] == ["в норме", "срок подходит", "просрочено", "нет данных"]


def test_pd_due_and_status_together():
    due = next_pd_due(date(2022, 9, 1))
    assert pd_status(due, date(2025, 2, 28)) is PdStatus.OK
    assert pd_status(due, date(2025, 3, 1)) is PdStatus.DUE_SOON
    assert pd_status(due, date(2025, 9, 1)) is PdStatus.DUE_SOON
    assert pd_status(due, date(2025, 9, 2)) is PdStatus.OVERDUE


# ---------------------------------------------------------------- young teachers

ON = date(2025, 6, 15)
LONG_AGO = date(2000, 9, 1)


@pytest.mark.parametrize(
    "birth, career_start, expected",
    [
        (date(1990, 6, 16), LONG_AGO, True),  # 34 years 364 days
        (date(1990, 6, 15), LONG_AGO, False),  # exactly 35 today
        (date(1980, 1, 1), date(2022, 6, 16), True),  # 2 years 364 days of work
        (date(1980, 1, 1), date(2022, 6, 15), False),  # exactly 3 years of work
        (date(1980, 1, 1), date(2023, 9, 1), True),  # 1 year of work
        (date(1995, 1, 1), date(2023, 9, 1), True),  # both
        (None, None, False),
        (None, LONG_AGO, False),
        (date(1980, 1, 1), None, False),
        (date(1995, 1, 1), None, True),
        (None, date(2024, 9, 1), True),
        (date(2030, 1, 1), LONG_AGO, False),  # birth date in the future is a data error
    ],
)
def test_is_young_teacher(birth, career_start, expected):
    assert is_young_teacher(birth, career_start, ON) is expected


# ---------------------------------------------------------------- credits

@pytest.mark.parametrize(
    "hours, per_credit, expected",
    [
        (72, 36, 2.0),
        (16, 36, 0.44),  # 0.444…
        (36, 36, 1.0),
        (0, 36, 0.0),
        (None, 36, 0.0),
        (20, 36, 0.56),  # 0.555…
        (4.5, 36, 0.13),  # exactly 0.125: half up, not the float's banker's 0.12
        (18, 36, 0.5),
        (108, 36, 3.0),
        (72, 24, 3.0),
        (10.5, 36, 0.29),
    ],
)
def test_credits_from_hours(hours, per_credit, expected):
    assert credits_from_hours(hours, per_credit) == expected


def test_credits_default_hours_per_credit():
    assert credits_from_hours(72) == 2.0
    assert credits_from_hours(16) == 0.44


@pytest.mark.parametrize("per_credit", [0, -36])
def test_credits_bad_hours_per_credit(per_credit):
    with pytest.raises(ValueError):
        credits_from_hours(72, per_credit)
    with pytest.raises(ValueError):
        credits_from_hours(None, per_credit)


def test_credits_negative_hours():
    with pytest.raises(ValueError, match="отрицательным"):
        credits_from_hours(-1)


def test_last_base_due_by_agrees_with_next_pd_due_around_leap_days():
    from datetime import timedelta

    from app.domain.rules import last_base_due_by, next_pd_due

    day = date(2027, 12, 1)
    while day < date(2028, 4, 1):
        cut = last_base_due_by(day)
        assert next_pd_due(cut) <= day < next_pd_due(cut + timedelta(days=1))
        day += timedelta(days=1)
