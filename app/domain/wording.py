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


def event_name(kind: str, title: str) -> str:
    """«Семинар «Читательская грамотность»»: the kind and the title in quotes, each once.

    A title typed as «Семинар «…»» or already in quotes is not given a second
    kind or a second pair of quotes.
    """
    title = title.strip()
    kind = (kind or "").strip()
    if kind and title.lower().startswith(kind.lower()):
        return title
    quoted = title if (title.startswith("«") and title.endswith("»")) or (
        title.startswith('"') and title.endswith('"') and len(title) > 1) else f"«{title}»"
    return f"{kind} {quoted}" if kind else quoted
