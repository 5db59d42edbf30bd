"""Masking of personal data in reports and exports (152-ФЗ).

Reports and exports show СНИЛС, phone and e-mail masked unless the user
chooses otherwise and has the right to; these functions are the one place
that decides what a masked value looks like.
"""
from __future__ import annotations

MASK = "•"


def mask_snils(value: str | None) -> str:
    """«123-456-789 01» → «***-***-789 01»: the tail is enough to tell two people apart."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = [c for c in text if c.isdigit()]
    if len(digits) != 11:
        return "***"
    return f"***-***-{''.join(digits[6:9])} {''.join(digits[9:11])}"


def mask_phone(value: str | None) -> str:
    """Keeps the last two digits: «+7 (912) 345-67-89» → «+7 (***) ***-**-89»."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = [c for c in text if c.isdigit()]
    if len(digits) < 4:
        return "***"
    return f"+7 (***) ***-**-{''.join(digits[-2:])}"


def mask_email(value: str | None) -> str:
    """«ivanova.anna@school5.ru» → «i***@school5.ru»."""
    text = (value or "").strip()
    if not text:
        return ""
    local, at, domain = text.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def masked(field: str, value: str | None, unmasked: bool = False) -> str:
    """The value of a personal-data field as a report shows it."""
    if unmasked:
        return value or ""
    maskers = {"snils": mask_snils, "phone": mask_phone, "email": mask_email}
    masker = maskers.get(field)
    return masker(value) if masker else (value or "")
