"""What a form says as rich text: a message that names another record links to it, a probable duplicate too.

A link is ``record:<entity>:<id>``; the form opens that record when it is clicked.
"""
from __future__ import annotations

import html
import re

from app.services.duplicates import DuplicateCandidate

# «… уже есть: Иванов И. И. (id 6f1c…)»: the other record a message points at.
RECORD_REFERENCE = re.compile(r"\s*\(id ([0-9A-Za-z-]+)\)")
RECORD_LINK = re.compile(r"^record:([a-z_]+):(.+)$")


def duplicate_html(candidates: list[DuplicateCandidate]) -> str:
    """«Возможный дубликат: Иванова Анна Петровна, 12.03.1985, … — совпадают … — открыть карточку»."""
    first = candidates[0]
    text = (f"Возможный дубликат: {html.escape(first.text)} — "
            f'<a href="record:teachers:{first.teacher_id}">открыть&nbsp;карточку</a>')
    if len(candidates) > 1:
        text += f"<br>и ещё похожих записей: {len(candidates) - 1}"
    return text


def error_html(message: str, entity: str) -> str:
    """The message as rich text; a mention «(id …)» becomes a link «открыть карточку»."""
    out, position = [], 0
    for match in RECORD_REFERENCE.finditer(message):
        out.append(html.escape(message[position:match.start()]))
        out.append(f' — <a href="record:{entity}:{match.group(1)}">открыть&nbsp;карточку</a>')
        position = match.end()
    out.append(html.escape(message[position:]))
    return "".join(out)
