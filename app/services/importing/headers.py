"""Spreadsheet import: which column names which target — normalised header texts, the best match per
column, the maximum a score header names, and how header-like a row is."""
from __future__ import annotations

import re
from typing import Any

from app.services.importing.reader import SheetRow
from app.services.importing.targets import SCORE_PREFIX, Target, header_key, targets_of

_MAX_IN_HEADER = re.compile(r"(?:\bиз|\bмакс\w*\.?|\bmax)\s*:?\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)


def max_score_in_header(text: Any) -> float | None:
    """The maximum a header names: «Цифровые технологии (из 10)» → 10.0; None when it names none."""
    if not isinstance(text, str):
        return None
    m = _MAX_IN_HEADER.search(text.casefold())
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    return value if value > 0 else None


_KEY_MAX_SUFFIX = re.compile(r"((из|макс\w*?|max)\d+|баллов|баллы|балл)$")
_NOT_A_DATE_HEADER = re.compile(r"^(дата|срок|год|число)")


def _match(target: Target, key: str) -> tuple[int, int] | None:
    """How well a normalised header names the target: (2 exact | 1 partial, length of the synonym)."""
    best = None
    if target.name.startswith(SCORE_PREFIX):
        short = _KEY_MAX_SUFFIX.sub("", key)
        if len(short) >= 8 and any(short in syn for syn in target.synonyms):
            best = (1, len(short))
    for syn in target.synonyms:
        if key == syn:
            score = (2, len(syn))
        elif not target.is_date and _NOT_A_DATE_HEADER.match(key):
            continue
        elif len(syn) >= 5 and syn in key:
            score = (1, len(syn))
        elif 3 <= len(syn) <= 4 and key.startswith(syn) and len(key) <= len(syn) + 16:
            score = (1, len(syn))
        else:
            continue
        if best is None or score > best:
            best = score
    return best


def guess_mapping(kind: str, headers: dict[int, Any]) -> dict[int, str | None]:
    """{column: target} for one header row; each target goes to the column that names it best."""
    candidates = []
    for col, text in headers.items():
        if not isinstance(text, str):
            continue
        key = header_key(text)
        if not key:
            continue
        for target in targets_of(kind):
            score = _match(target, key)
            if score is not None:
                candidates.append((score, -col, col, target.name))
    candidates.sort(reverse=True)
    mapping: dict[int, str | None] = {col: None for col in headers}
    used: set[str] = set()
    for _score, _neg, col, name in candidates:
        if name in used or mapping.get(col) is not None:
            continue
        mapping[col] = name
        used.add(name)
    return mapping


def header_score(kind: str, row: SheetRow) -> int:
    mapping = guess_mapping(kind, dict(enumerate(row.values, start=1)))
    score = 0
    for col, name in mapping.items():
        if name is None:
            continue
        key = header_key(row.value(col))
        exact = any(key == s for t in targets_of(kind) if t.name == name for s in t.synonyms)
        score += 2 if exact else 1
    return score
