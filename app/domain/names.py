"""Personal names: tidying what people type, splitting and formatting ФИО, search keys."""
from __future__ import annotations

import re

from app.domain.validators import ValidationError

# Typographic dashes typed or pasted inside double surnames mean a plain hyphen.
_DASHES = re.compile(r"\s*[-\u2010-\u2014]\s*")
# Turkic patronymic particles stay lower-case: «Алиев Рустам Гасан оглы».
# Besides letters: «Мамин-Сибиряк», «д'Артаньян», «О’Коннор», «Рахманов Д. Р.» split elsewhere.
_NAME_MARKS = frozenset(" -'’ʼ.")
_PARTICLES = frozenset({"оглы", "оглу", "кызы", "гызы", "улы", "уулу"})
# Invisible characters that come with text pasted from web pages and documents: a soft hyphen,
# zero-width spaces and joiners, direction marks, a byte order mark.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
# Latin letters that look like Cyrillic ones. A word typed on the wrong keyboard layout
# («Лaтинская» with a Latin «a») would otherwise be another person: unfound by a search, a duplicate.
_LOOKALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
# C0 control characters besides tab and line breaks, and DEL: they come from other programs'
# exports, mean nothing to a reader, and PostgreSQL refuses NUL in text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")


def collapse_spaces(text: str | None) -> str:
    """Trimmed text with every run of whitespace (NBSP included) as one space."""
    return " ".join((text or "").split())


def without_controls(text: str) -> str:
    """The text without control characters and invisible marks (tabs and line breaks kept)."""
    return _INVISIBLE.sub("", _CONTROLS.sub("", text))


def _tidy(text: str | None) -> str:
    return _DASHES.sub("-", collapse_spaces(without_controls(text or ""))).strip("-")


def _one_script(word: str) -> str:
    """A Cyrillic word's Latin look-alike letters made Cyrillic; other words as they are."""
    if _CYRILLIC.search(word) and _LATIN.search(word):
        return word.translate(_LOOKALIKES)
    return word


def fold_lookalikes(text: str | None) -> str:
    """Each Cyrillic word of ``text`` with its Latin look-alike letters made Cyrillic (what
    normalize_name_part does on input; for comparing with names stored before it did)."""
    return " ".join("-".join(_one_script(part) for part in word.split("-")) for word in (text or "").split(" "))


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _title_case(text: str) -> str:
    words = []
    for i, word in enumerate(text.split(" ")):
        if i > 0 and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append("-".join(_capitalize(part) for part in word.split("-")))
    return " ".join(words)


def normalize_name_part(text: str | None) -> str:
    """One part of a name, tidied; capitalised only when typed all in one case.

    Mixed case is the user's deliberate choice («МакГрегор», «де Голль») and is kept.
    """
    tidy = fold_lookalikes(_tidy(text))
    odd = next((ch for ch in tidy if not (ch.isalpha() or ch in _NAME_MARKS)), None)
    if odd is not None:
        shown = "пробел" if odd.isspace() else f"«{odd}»"
        raise ValidationError(f"«{tidy}»: в имени допустимы только буквы, пробел, дефис, апостроф и точка "
                              f"(встретился символ {shown})")
    if tidy.islower() or tidy.isupper():
        return _title_case(tidy)
    return tidy


def split_fio(text: str | None) -> tuple[str, str, str]:
    """«Фамилия Имя Отчество» → (last, first, middle); words after the second form the middle."""
    tidy = _tidy(text)
    if not tidy:
        raise ValidationError("ФИО не указано")
    words = tidy.split(" ")
    if len(words) < 2:
        raise ValidationError(f"ФИО «{tidy}»: укажите как минимум фамилию и имя")
    last, first, *rest = words
    return (
        normalize_name_part(last),
        normalize_name_part(first),
        normalize_name_part(" ".join(rest)),
    )


def format_fio(last: str | None, first: str | None, middle: str | None = "") -> str:
    """Full name «Фамилия Имя Отчество», skipping empty parts."""
    return " ".join(p for p in map(collapse_spaces, (last, first, middle)) if p)


def _initial(name: str | None) -> str:
    """«Иван» → «И.», «Анна-Мария» → «А.-М.», «Гасан оглы» → «Г.»."""
    first_word = collapse_spaces(name).split(" ")[0]
    return "-".join(f"{part[0].upper()}." for part in first_word.split("-") if part)


def initials(last: str | None, first: str | None, middle: str | None = "") -> str:
    """Short name «Иванов И. И.»; without a middle name «Иванов И.»."""
    parts = [collapse_spaces(last), _initial(first), _initial(middle)]
    return " ".join(p for p in parts if p)


def search_key(*parts: object) -> str:
    """Case- and ё-insensitive key: search_key("Семёнов") == search_key("СЕМЕНОВ")."""
    words = (collapse_spaces(str(p)) for p in parts if p is not None)
    key = " ".join(w for w in words if w)
    return key.casefold().replace("ё", "е")
