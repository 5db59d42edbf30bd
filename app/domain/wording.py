"""Russian wording of numbers: «1 день», «2 дня», «5 дней»."""
from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun after ``n``: one (1, 21, 101), few (2–4, 22–24), many (5–20, 25–30, 11–14)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
