import re
from datetime import date

import pytest

from app.domain.validators import (
    ValidationError,
    format_date,
    is_valid_snils,
    normalize_email,
    normalize_inn,
    normalize_kpp,
    normalize_ogrn,
    normalize_phone,
    normalize_snils,
    parse_date,
    snils_checksum,
    snils_digits,
)


# ---------------------------------------------------------------- СНИЛС

def test_snils_checksum_of_reference_example():
    # 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1
    # = 9 + 8 + 14 + 12 + 15 + 12 + 12 + 8 + 5 = 95 (< 100, so it is the check number)
    assert snils_checksum("112233445") == 95


@pytest.mark.parametrize(
    "first9, expected",
    [
        # 1·7 + 1·4 + 9·3 + 9·2 + 9·1 = 7 + 4 + 27 + 18 + 9 = 65
        ("001001999", 65),
        # 3·9 + 2·(8+7+6+5+4+3+2) + 3·1 = 27 + 70 + 3 = 100 → 00
        ("322222223", 0),
        # ... + 4·1 = 101 → 00
        ("322222224", 0),
        # ... + 5·1 = 102 → 102 mod 101 = 01
        ("322222225", 1),
        # 9·45 − 2 = 403 → 403 mod 101 = 100 → 00
        ("999999997", 0),
        # 9·45 = 405 → 405 mod 101 = 1 → 01
        ("999999999", 1),
    ],
)
def test_snils_checksum_by_hand(first9, expected):
    assert snils_checksum(first9) == expected


def test_snils_checksum_needs_nine_digits():
    with pytest.raises(ValidationError):
        snils_checksum("12345678")


@pytest.mark.parametrize(
    "text",
    [
        "11223344595",
        "112-233-445 95",
        "112 233 445 95",
        "112-233-445-95",
        "112.233.445.95",
        "  112-233-445\u00a095  ",
    ],
)
def test_normalize_snils_accepts_common_spellings(text):
    assert normalize_snils(text) == "112-233-445 95"


@pytest.mark.parametrize(
    "text", ["001-001-999 65", "322-222-223 00", "322-222-225 01", "999-999-997 00"]
)
def test_normalize_snils_accepts_hand_computed_numbers(text):
    assert normalize_snils(text) == text


def test_normalize_snils_reports_expected_checksum():
    with pytest.raises(ValidationError) as e:
        normalize_snils("112-233-445 96")
    assert str(e.value) == "СНИЛС 112-233-445 96: неверная контрольная сумма (ожидается 95)"


def test_normalize_snils_changed_digit_fails():
    with pytest.raises(ValidationError, match="контрольная сумма"):
        normalize_snils("112-233-455 95")


def test_snils_boundary_001_001_998_is_not_checked():
    assert normalize_snils("001-001-998 00") == "001-001-998 00"
    assert normalize_snils("001-001-998 47") == "001-001-998 47"


def test_snils_just_above_boundary_is_checked():
    with pytest.raises(ValidationError, match=r"ожидается 65"):
        normalize_snils("001-001-999 00")


@pytest.mark.parametrize("text", ["", "   ", None])
def test_normalize_snils_empty(text):
    with pytest.raises(ValidationError, match="^СНИЛС не указан$"):
        normalize_snils(text)


def test_normalize_snils_wrong_length():
    with pytest.raises(ValidationError, match="должно быть 11 цифр, указано 10 цифр"):
        normalize_snils("112-233-445 9")


def test_normalize_snils_letters():
    with pytest.raises(ValidationError, match="допустимы только цифры"):
        normalize_snils("112-233-445 9O")


def test_snils_digits_and_is_valid():
    assert snils_digits("112-233-445 95") == "11223344595"
    assert snils_digits(None) == ""
    assert is_valid_snils("112 233 445 95")
    assert not is_valid_snils("112 233 445 94")
    assert not is_valid_snils("")


# ---------------------------------------------------------------- ИНН

def test_inn10_valid():
    # 7·2 + 7·4 + 0·10 + 7·3 + 0·5 + 8·9 + 3·4 + 8·6 + 9·8 = 267; 267 mod 11 = 3
    assert normalize_inn("7707083893") == "7707083893"
    assert normalize_inn(" 7707 083 893 ") == "7707083893"


def test_inn10_changed_digit():
    with pytest.raises(ValidationError) as e:
        normalize_inn("7707083894")
    assert str(e.value) == "ИНН 7707083894: неверная контрольная сумма (ожидается 3)"


def test_inn10_changed_body_digit():
    with pytest.raises(ValidationError, match="контрольная сумма"):
        normalize_inn("7707084893")


def test_inn12_valid():
    assert normalize_inn("500100732259") == "500100732259"


@pytest.mark.parametrize("text", ["500100732258", "500100732249", "500100742259"])
def test_inn12_changed_digit(text):
    with pytest.raises(ValidationError, match="ожидаются последние цифры"):
        normalize_inn(text)


def test_inn12_reports_both_check_digits():
    with pytest.raises(ValidationError, match="ожидаются последние цифры 59"):
        normalize_inn("500100732200")


@pytest.mark.parametrize("text", ["770708389", "77070838931", "5001007322590"])
def test_inn_wrong_length(text):
    with pytest.raises(ValidationError, match="10 цифр .* или 12 цифр"):
        normalize_inn(text)


def test_inn_non_digits_and_empty():
    with pytest.raises(ValidationError, match="только цифры"):
        normalize_inn("77070838-93")
    with pytest.raises(ValidationError, match="ИНН не указан"):
        normalize_inn("")


# ---------------------------------------------------------------- ОГРН

def test_ogrn13_valid():
    assert normalize_ogrn("1027700132195") == "1027700132195"


def test_ogrn13_changed_digit():
    with pytest.raises(ValidationError) as e:
        normalize_ogrn("1027700132196")
    assert str(e.value) == "ОГРН 1027700132196: неверная контрольная сумма (ожидается 5)"


def test_ogrnip_valid():
    # 30450011600015 = 13 · 2342308584616 + 7 → 7 mod 10 = 7
    assert 13 * 2342308584616 + 7 == 30450011600015
    assert normalize_ogrn("304500116000157") == "304500116000157"


@pytest.mark.parametrize(
    "text",
    [
        # remainders 10, 11, 12 need the final mod 10 (python-stdnum omits it)
        "304500116000180",
        "304500116000191",
        "304500116000202",
    ],
)
def test_ogrnip_remainder_above_nine(text):
    assert normalize_ogrn(text) == text


def test_ogrnip_changed_digit():
    with pytest.raises(ValidationError, match="^ОГРНИП 304500116000158: .*ожидается 7"):
        normalize_ogrn("304500116000158")


def test_ogrn_wrong_length():
    with pytest.raises(ValidationError, match="13 цифр .* или 15 цифр"):
        normalize_ogrn("10277001321950")


# ---------------------------------------------------------------- КПП

@pytest.mark.parametrize(
    "text, expected",
    [("773601001", "773601001"), ("7736AB001", "7736AB001"), (" 7736ab001 ", "7736AB001")],
)
def test_kpp_valid(text, expected):
    assert normalize_kpp(text) == expected


@pytest.mark.parametrize("text", ["77360100", "7736010011", "77A601001", "7736АБ001"])
def test_kpp_invalid(text):
    with pytest.raises(ValidationError, match="КПП"):
        normalize_kpp(text)


# ---------------------------------------------------------------- e-mail

@pytest.mark.parametrize(
    "text, expected",
    [
        ("  Ivanova@School5.RU ", "ivanova@school5.ru"),
        ("metod.centre+news@edu-kurgan.ru", "metod.centre+news@edu-kurgan.ru"),
        ("Директор@Почта.РФ", "директор@почта.рф"),
        ("info@xn--80a1acny.xn--p1ai", "info@xn--80a1acny.xn--p1ai"),
    ],
)
def test_email_valid(text, expected):
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("ivanova.school5.ru", "нет знака «@»"),
        ("a@b@school.ru", "один раз"),
        ("@school.ru", "имя почтового ящика"),
        ("ivanova@school", "домен с точкой"),
        ("ivan ova@school.ru", "пробелов"),
        ("ivanova@-school.ru", "домен"),
        ("ivanova@school..ru", "домен"),
        ("ivanova..x@school.ru", "недопустимые символы"),
    ],
)
def test_email_invalid(text, reason):
    with pytest.raises(ValidationError, match="^Адрес электронной почты «.*» указан неверно") as e:
        normalize_email(text)
    assert reason in str(e.value)


def test_email_empty():
    with pytest.raises(ValidationError, match="не указан"):
        normalize_email(" ")


# ---------------------------------------------------------------- phone

@pytest.mark.parametrize(
    "text, expected",
    [
        ("+7 (912) 345-67-89", "+79123456789"),
        ("8 912 345 67 89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("7(912)3456789", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("+7 495 123-45-67", "+74951234567"),
        ("8 (3522) 45-67-89", "+73522456789"),
        ("8-800-555-35-35", "+78005553535"),
    ],
)
def test_phone_valid(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("45-67-89", "с кодом города"),
        ("123-45-67", "с кодом города"),
        ("+380 44 123 45 67", "только российские"),
        ("+7 912 345 67 8", "после +7 должно быть 10 цифр"),
        ("8 912 345 67 899", "неверное количество цифр (12)"),
        ("59123456789", "должен начинаться с 7, 8"),
        ("8 912 ABC 67 89", "допустимы только цифры"),
        ("+7 (912) 345-67-89 доб. 123", "добавочный номер укажите отдельно"),
        ("+7 495 123-45-67 ext 12", "добавочный номер укажите отдельно"),
        ("8 912 345+67 89", "знак «+»"),
        ("+7 (012) 345-67-89", "не является российским кодом"),
    ],
)
def test_phone_invalid(text, reason):
    with pytest.raises(ValidationError, match=f"^Телефон «{re.escape(text)}»") as e:
        normalize_phone(text)
    assert reason in str(e.value)


def test_phone_empty():
    with pytest.raises(ValidationError, match="Номер телефона не указан"):
        normalize_phone("")


# ---------------------------------------------------------------- dates

TODAY = date(2025, 11, 23)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05.03.2021", date(2021, 3, 5)),
        ("5.3.2021", date(2021, 3, 5)),
        (" 05.03.2021 ", date(2021, 3, 5)),
        ("05/03/2021", date(2021, 3, 5)),
        ("2021-03-05", date(2021, 3, 5)),
        ("29.02.2024", date(2024, 2, 29)),
        ("29.02.2000", date(2000, 2, 29)),
        ("05.03.25", date(2025, 3, 5)),  # 25 ≤ 25 → 2025
        ("05.03.26", date(1926, 3, 5)),  # 26 > 25 → 1926
        ("01.01.00", date(2000, 1, 1)),
    ],
)
def test_parse_date_valid(text, expected):
    assert parse_date(text, today=TODAY) == expected


def test_parse_date_two_digit_year_uses_real_today_by_default():
    yy = date.today().year % 100
    assert parse_date(f"01.01.{yy:02d}").year == date.today().year


def test_parse_date_message_for_impossible_day():
    with pytest.raises(ValidationError) as e:
        parse_date("32.01.2020")
    assert str(e.value).startswith("Дата «32.01.2020» указана неверно: ожидается дд.мм.гггг")
    assert "в январе 2020 года 31 день" in str(e.value)


@pytest.mark.parametrize(
    "text, detail",
    [
        ("29.02.2023", "в феврале 2023 года 28 дней"),
        ("29.02.1900", "в феврале 1900 года 28 дней"),
        ("31.04.2024", "в апреле 2024 года 30 дней"),
        ("00.04.2024", "в апреле 2024 года 30 дней"),
        ("15.13.2024", "месяца 13 не бывает"),
        ("2024-02-30", "в феврале 2024 года 29 дней"),
        ("01.01.0202", "год должен быть от 1900 до 2100"),
    ],
)
def test_parse_date_impossible(text, detail):
    with pytest.raises(ValidationError, match="ожидается дд.мм.гггг") as e:
        parse_date(text)
    assert detail in str(e.value)


@pytest.mark.parametrize(
    "text", ["2020.01.05", "05.03.202", "05-03-2021", "05.03/2021", "5 марта 2021", "05032021"]
)
def test_parse_date_wrong_shape(text):
    with pytest.raises(ValidationError) as e:
        parse_date(text)
    assert str(e.value) == f"Дата «{text}» указана неверно: ожидается дд.мм.гггг"


def test_parse_date_empty():
    with pytest.raises(ValidationError, match="Дата не указана"):
        parse_date("  ")


def test_format_date():
    assert format_date(date(2021, 3, 5)) == "05.03.2021"
    assert format_date(None) == ""
    assert parse_date(format_date(date(1987, 12, 31))) == date(1987, 12, 31)


def test_validation_error_is_value_error():
    assert issubclass(ValidationError, ValueError)


def test_an_all_zero_snils_is_never_issued():
    from app.domain.validators import ValidationError, normalize_snils
    with pytest.raises(ValidationError, match="не выдаётся"):
        normalize_snils("000-000-000 00")
    assert normalize_snils("001-001-998 00") == "001-001-998 00"     # early numbers carry no checksum
