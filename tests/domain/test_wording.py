from app.domain.wording import plural


def test_the_noun_agrees_with_the_number_as_russian_has_it():
    words = ("день", "дня", "дней")
    assert [plural(n, *words) for n in (1, 21, 101)] == ["день"] * 3
    assert [plural(n, *words) for n in (2, 3, 4, 22, 34)] == ["дня"] * 5
    assert [plural(n, *words) for n in (0, 5, 11, 12, 14, 20, 111, 112)] == ["дней"] * 8
    assert plural(-2, *words) == "дня"
