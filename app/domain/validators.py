"""Checks and canonical forms for the identifiers, contacts and dates people type in.

Every normalizer returns the canonical form or raises ValidationError whose
text is shown to the user as is, so it is in Russian and names the problem.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from app.domain.wording import plural


class ValidationError(ValueError):
    """A value the user typed is wrong; str(error) is the Russian explanation."""


def _digits_word(n: int) -> str:
    return f"{n} {plural(n, 'цифра', 'цифры', 'цифр')}"


def _strip_whitespace(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _weighted_mod11(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10


# ---------------------------------------------------------------- СНИЛС

_SNILS_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015]+")
# Numbers up to this one were issued before check digits were introduced.
_SNILS_UNCHECKED_MAX = 1001998


def snils_checksum(first9: str) -> int:
    """Check number (0–99) for the first nine digits of a СНИЛС."""
    if not re.fullmatch(r"\d{9}", first9 or ""):
        raise ValidationError(
            f"Для расчёта контрольной суммы СНИЛС нужно 9 цифр, получено «{first9}»"
        )
    total = sum(int(d) * (9 - i) for i, d in enumerate(first9))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    return total % 101 % 100


def _format_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def snils_digits(text: str | None) -> str:
    """Only the digits of the text, for matching and search."""
    return "".join(c for c in (text or "") if c in "0123456789")


def normalize_snils(text: str | None) -> str:
    """Canonical «123-456-789 01» form of a СНИЛС."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("СНИЛС не указан")
    digits = _SNILS_SEPARATORS.sub("", raw)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            f"СНИЛС «{raw}»: допустимы только цифры, пробелы, дефисы и точки"
        )
    if len(digits) != 11:
        raise ValidationError(
            f"СНИЛС «{raw}»: должно быть 11 цифр, указано {_digits_word(len(digits))}"
        )
    if int(digits[:9]) == 0:
        raise ValidationError(f"СНИЛС {_format_snils(digits)}: такой номер не выдаётся")
    if int(digits[:9]) > _SNILS_UNCHECKED_MAX:
        expected = snils_checksum(digits[:9])
        if int(digits[9:]) != expected:
            raise ValidationError(
                f"СНИЛС {_format_snils(digits)}: неверная контрольная сумма "
                f"(ожидается {expected:02d})"
            )
    return _format_snils(digits)


def is_valid_snils(text: str | None) -> bool:
    try:
        normalize_snils(text)
    except ValidationError:
        return False
    return True


# ---------------------------------------------------------------- ИНН, ОГРН, КПП

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _only_digits(name: str, text: str | None) -> str:
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(f"{name} не указан")
    digits = _strip_whitespace(raw)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(f"{name} «{raw}»: допустимы только цифры")
    return digits


def _inn_check_digits(digits: str) -> str:
    if len(digits) == 10:
        return str(_weighted_mod11(digits, _INN10_WEIGHTS))
    d11 = str(_weighted_mod11(digits[:10], _INN11_WEIGHTS))
    # The twelfth digit covers the eleventh, so compute it over the corrected one.
    d12 = str(_weighted_mod11(digits[:10] + d11, _INN12_WEIGHTS))
    return d11 + d12


def normalize_inn(text: str | None) -> str:
    """ИНН of an organisation (10 digits) or a person (12 digits)."""
    digits = _only_digits("ИНН", text)
    if len(digits) not in (10, 12):
        raise ValidationError(
            f"ИНН «{digits}»: должно быть 10 цифр (организация) или 12 цифр "
            f"(физическое лицо), указано {_digits_word(len(digits))}"
        )
    expected = _inn_check_digits(digits)
    actual = digits[-len(expected):]
    if actual != expected:
        what = "ожидается" if len(expected) == 1 else "ожидаются последние цифры"
        raise ValidationError(
            f"ИНН {digits}: неверная контрольная сумма ({what} {expected})"
        )
    return digits


def normalize_ogrn(text: str | None) -> str:
    """ОГРН of an organisation (13 digits) or ОГРНИП of an entrepreneur (15 digits)."""
    digits = _only_digits("ОГРН", text)
    if len(digits) == 13:
        name, expected = "ОГРН", int(digits[:12]) % 11 % 10
    elif len(digits) == 15:
        name, expected = "ОГРНИП", int(digits[:14]) % 13 % 10
    else:
        raise ValidationError(
            f"ОГРН «{digits}»: должно быть 13 цифр (ОГРН) или 15 цифр (ОГРНИП), "
            f"указано {_digits_word(len(digits))}"
        )
    if int(digits[-1]) != expected:
        raise ValidationError(
            f"{name} {digits}: неверная контрольная сумма (ожидается {expected})"
        )
    return digits


def normalize_kpp(text: str | None) -> str:
    """КПП: nine characters, the fifth and sixth may be latin capitals."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("КПП не указан")
    kpp = _strip_whitespace(raw).upper()
    if not re.fullmatch(r"\d{4}[0-9A-Z]{2}\d{3}", kpp):
        raise ValidationError(
            f"КПП «{raw}» указан неверно: ожидается 9 цифр "
            "(5-й и 6-й знаки могут быть латинскими буквами)"
        )
    return kpp


# ---------------------------------------------------------------- e-mail

_EMAIL_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*")
_EMAIL_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
# The top-level label is letters (рф, ru) or punycode (xn--p1ai).
_EMAIL_DOMAIN = re.compile(rf"(?:{_EMAIL_LABEL}\.)+(?:[^\W\d_]{{2,}}|xn--[a-z0-9-]+)")


def _email_problem(address: str) -> str | None:
    if any(c.isspace() for c in address):
        return "адрес не должен содержать пробелов"
    if address.count("@") == 0:
        return "нет знака «@»"
    if address.count("@") > 1:
        return "знак «@» должен встречаться один раз"
    local, domain = address.split("@")
    if not local:
        return "перед «@» должно быть имя почтового ящика"
    if not _EMAIL_LOCAL.fullmatch(local):
        return "имя почтового ящика перед «@» содержит недопустимые символы"
    if "." not in domain:
        return "после «@» должен быть домен с точкой, например school.ru"
    if not _EMAIL_DOMAIN.fullmatch(domain):
        return "домен после «@» указан неверно"
    return None


def normalize_email(text: str | None) -> str:
    """Trimmed, lower-case e-mail address; Cyrillic domains are allowed."""
    address = (text or "").strip().lower()
    if not address:
        raise ValidationError("Адрес электронной почты не указан")
    problem = _email_problem(address)
    if problem:
        raise ValidationError(
            f"Адрес электронной почты «{text.strip()}» указан неверно: {problem}"
        )
    return address


# ---------------------------------------------------------------- phone

_PHONE_EXTENSION = re.compile(r"доб|ext|вн\.|#|(?<![a-zа-я])x\s*\d", re.IGNORECASE)
_PHONE_DECORATION = re.compile(r"[\s\-.()\u2010-\u2015]+")
# Russian geographic codes start with 3, 4 or 8, mobile ones with 9;
# the rest of +7 (6xx, 7xx) belongs to Kazakhstan.
_RUSSIAN_CODE_FIRST_DIGITS = "3489"


def _phone_error(raw: str, problem: str) -> ValidationError:
    return ValidationError(f"Телефон «{raw}»: {problem}")


def _national_number(raw: str, compact: str) -> str:
    """The ten digits after +7, or a ValidationError naming what is wrong."""
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.startswith("7"):
            raise _phone_error(raw, "поддерживаются только российские номера (+7)")
        if len(digits) != 11:
            raise _phone_error(
                raw, f"после +7 должно быть 10 цифр, указано {_digits_word(len(digits) - 1)}"
            )
        return digits[1:]
    if len(compact) == 11:
        if compact[0] not in "78":
            raise _phone_error(raw, "номер из 11 цифр должен начинаться с 7, 8 или +7")
        return compact[1:]
    if len(compact) == 10:
        return compact
    if 5 <= len(compact) <= 7:
        raise _phone_error(raw, "укажите номер полностью, с кодом города или оператора")
    raise _phone_error(
        raw, f"неверное количество цифр ({len(compact)}); ожидается +7 и 10 цифр"
    )


def normalize_phone(text: str | None) -> str:
    """Russian phone number as «+7XXXXXXXXXX»."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Номер телефона не указан")
    if _PHONE_EXTENSION.search(raw):
        raise _phone_error(raw, "добавочный номер укажите отдельно")
    compact = _PHONE_DECORATION.sub("", raw)
    if not re.fullmatch(r"\+?[0-9]+", compact):
        if re.fullmatch(r"[0-9+]+", compact):
            raise _phone_error(raw, "знак «+» может стоять только в начале номера")
        raise _phone_error(
            raw, "допустимы только цифры, пробелы, скобки, дефисы и знак «+» в начале"
        )
    national = _national_number(raw, compact)
    if national[0] not in _RUSSIAN_CODE_FIRST_DIGITS:
        raise _phone_error(
            raw, f"код «{national[:3]}» не является российским кодом города или оператора"
        )
    return "+7" + national


# ---------------------------------------------------------------- dates

_DATE_DMY = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})", re.ASCII)
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
# Anything outside this range is a typo in this domain (birth dates, courses, events).
MIN_YEAR = 1900
MAX_YEAR = 2100
_MONTHS_PREPOSITIONAL = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)


def _full_year(two_digits: int, today: date) -> int:
    century = today.year // 100 * 100
    if two_digits <= today.year % 100:
        return century + two_digits
    return century - 100 + two_digits


def _split_date(text: str, today: date) -> tuple[int, int, int] | None:
    """(year, month, day) as typed, or None if the text is not shaped like a date."""
    if m := _DATE_ISO.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _DATE_DMY.fullmatch(text):
        year = int(m[4])
        if len(m[4]) == 2:
            year = _full_year(year, today)
        return year, int(m[3]), int(m[1])
    return None


def _calendar_problem(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"год должен быть от {MIN_YEAR} до {MAX_YEAR}"
    if not 1 <= month <= 12:
        return f"месяца {month} не бывает"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        days_word = plural(days, "день", "дня", "дней")
        return f"в {_MONTHS_PREPOSITIONAL[month - 1]} {year} года {days} {days_word}"
    return None


def parse_date(text: str | None, *, today: date | None = None) -> date:
    """Date typed as дд.мм.гггг (also д.м.гггг, дд.мм.гг, дд/мм/гггг, гггг-мм-дд).

    A two-digit year goes to this century if it is not later than the current
    year, otherwise to the previous one; ``today`` exists for tests.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Дата не указана")
    message = f"Дата «{raw}» указана неверно: ожидается дд.мм.гггг"
    parts = _split_date(raw, today or date.today())
    if parts is None:
        raise ValidationError(message)
    problem = _calendar_problem(*parts)
    if problem:
        raise ValidationError(f"{message} ({problem})")
    return date(*parts)


def format_date(d: date | None) -> str:
    if d is None:
        return ""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
