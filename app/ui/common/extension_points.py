"""Where the feature packages plug into the shared widgets.

The generic form, the list page and ``open_record`` sit below every feature and
must not import one. What a feature adds to them — its own window for an entity,
a card, an editor for a field, the rows a form owns, a button under a list — it
lends through the tables below. ``app.ui.shell.features.install`` fills them
when the application is set up, before any window opens; a table left empty
means the plain behaviour (the generic form, no extra buttons).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from PySide6.QtWidgets import QWidget

from app.services.common.fields import Field
from app.services.registry.service import RecordService

# (parent, service, record id or None for a new record) → the saved id, or None when cancelled.
FormOpener = Callable[[QWidget | None, RecordService, str | None], str | None]
# (parent, service, record id) → True when anything was changed from the card.
CardOpener = Callable[[QWidget | None, RecordService, str], bool]
# (field, parent) → an editor with value(), set_value(), is_blank() and a ``changed`` signal.
FieldEditorFactory = Callable[[Field, QWidget | None], QWidget]
# (the form once built, its service) → nothing; wires what one entity's form does beyond the generic one.
FormBehaviour = Callable[[Any, RecordService], None]
# (the list page) → the object that owns the button it added under the list (a QObject child of the page).
PageAction = Callable[[Any], object]


class TitledKind(Protocol):
    """A related_rows.RelatedKind, as far as the form needs one (related_rows builds on field editors)."""
    title: str


@dataclass(frozen=True)
class OwnedRows:
    """Rows a record owns and saves with itself (a route's items, a diagnostic's scores), edited in its form."""
    kind: TitledKind
    make: Callable[[RecordService, QWidget], QWidget]
    dialog_size: tuple[int, int]


# An entity whose records open in a window of its own instead of the generic form (creating too).
FORMS: dict[str, FormOpener] = {}
# An entity whose records open as a read-only card; creating one still uses the form.
CARDS: dict[str, CardOpener] = {}
# A field (by name, in any entity) edited by something other than the editor of its kind.
FIELD_EDITORS: dict[str, FieldEditorFactory] = {}
# The owned rows of an entity's form, instead of the generic related rows.
OWNED_ROWS: dict[str, OwnedRows] = {}
FORM_BEHAVIOURS: dict[str, FormBehaviour] = {}
# The buttons under an entity's list, in the order they are shown.
PAGE_ACTIONS: dict[str, tuple[PageAction, ...]] = {}
