import pytest

from app.domain.names import (
    collapse_spaces,
    format_fio,
    initials,
    normalize_name_part,
    search_key,
    split_fio,
)
from app.domain.validators import ValidationError


def test_collapse_spaces():
    assert collapse_spaces("  Иванов \t Иван\u00a0\u00a0Иванович\n") == "Иванов Иван Иванович"
    assert collapse_spaces(None) == ""
    assert collapse_spaces(" \u00a0 ") == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("иванова-петрова", "Иванова-Петрова"),
        ("ИВАНОВА-ПЕТРОВА", "Иванова-Петрова"),
        ("иванова - петрова", "Иванова-Петрова"),
        ("Иванова\u2013Петрова", "Иванова-Петрова"),
        ("  семёнов  ", "Семёнов"),
        ("СЕМЁНОВ", "Семёнов"),
        ("МакГрегор", "МакГрегор"),
        ("де Голль", "де Голль"),
        ("анна мария", "Анна Мария"),
        ("ГАСАН ОГЛЫ", "Гасан оглы"),
        ("", ""),
    ],
)
def test_normalize_name_part(text, expected):
    assert normalize_name_part(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("  иванов   иван  иванович ", ("Иванов", "Иван", "Иванович")),
        ("Петрова Анна", ("Петрова", "Анна", "")),
        ("Алиев Рустам Гасан оглы", ("Алиев", "Рустам", "Гасан оглы")),
        ("Иванова - Петрова Анна Сергеевна", ("Иванова-Петрова", "Анна", "Сергеевна")),
        ("Семёнова Алёна Петровна", ("Семёнова", "Алёна", "Петровна")),
    ],
)
def test_split_fio(text, expected):
    assert split_fio(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_split_fio_empty(text):
    with pytest.raises(ValidationError, match="ФИО не указано"):
        split_fio(text)


def test_split_fio_single_word():
    with pytest.raises(ValueError, match="фамилию и имя"):
        split_fio("Иванов")


def test_format_fio():
    assert format_fio("Иванов", "Иван", "Иванович") == "Иванов Иван Иванович"
    assert format_fio("Петрова", "Анна", "") == "Петрова Анна"
    assert format_fio("Петрова", "Анна", None) == "Петрова Анна"
    assert format_fio(" Петрова ", " Анна ") == "Петрова Анна"


def test_initials():
    assert initials("Иванов", "Иван", "Иванович") == "Иванов И. И."
    assert initials("Петрова", "Анна", "") == "Петрова А."
    assert initials("Петрова", "Анна", None) == "Петрова А."
    assert initials("Алиев", "Рустам", "Гасан оглы") == "Алиев Р. Г."
    assert initials("Дюбуа", "Анна-Мария", "") == "Дюбуа А.-М."
    assert initials("Семёнов", "ёлка", "") == "Семёнов Ё."


def test_search_key():
    assert search_key("Семёнов") == "семенов"
    assert search_key("СЕМЁНОВ") == search_key("семенов")
    assert search_key("ЁЛКИН") == "елкин"
    assert search_key("Иванов", None, "", "Иван\u00a0 Иванович") == "иванов иван иванович"
    assert search_key("  Школа  №5 ", "  ") == "школа №5"
    assert search_key() == ""
    assert search_key(None) == ""


@pytest.mark.parametrize("bad", ["=cmd|' /C calc'!A0", "Иванов1", "@SUM(A1)", "Петров;", "<b>Анна</b>"])
def test_a_name_part_holds_letters_only(bad):
    from app.domain.validators import ValidationError
    with pytest.raises(ValidationError, match="только буквы"):
        normalize_name_part(bad)


@pytest.mark.parametrize("good, kept", [("д'Артаньян", "д'Артаньян"), ("мамин-сибиряк", "Мамин-Сибиряк"),
                                        ("О’Коннор", "О’Коннор"), ("Алиев Гасан оглы", "Алиев Гасан оглы")])
def test_names_with_hyphens_and_apostrophes_pass(good, kept):
    assert normalize_name_part(good) == kept


def test_latin_look_alikes_in_a_cyrillic_name_become_cyrillic():
    assert normalize_name_part("Лaтинская") == "Латинская"              # a Latin «a»
    assert normalize_name_part("ПEТРОВ") == "Петров"                     # a Latin «E», all in capitals
    assert normalize_name_part("Римский-Kорсаков") == "Римский-Корсаков"
    assert normalize_name_part("Smith") == "Smith"                       # a Latin name stays Latin
    assert normalize_name_part("Smith-Иванова") == "Smith-Иванова"       # each part of a double name on its own


def test_invisible_and_control_characters_are_dropped_from_names():
    assert normalize_name_part("Иван\u200bов") == "Иванов"
    assert normalize_name_part("\ufeffПетрова\u00ad") == "Петрова"
    assert normalize_name_part("Сидор\x00ов") == "Сидоров"
