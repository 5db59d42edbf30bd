"""Entities whose records open in their own window instead of the generic form.

``open_record`` (record_dialog) and «Создать» (RecordPage) look here first.
A form is named as "module:function" and imported when first used, so that
the modules, which build on RecordDialog, do not import each other in a
circle. The function is ``(parent, service, record_id or None) -> saved id or None``.
"""
from __future__ import annotations

import importlib
from typing import Callable

FORMS: dict[str, str] = {
    "materials": "app.ui.materials.material_dialog:open_material",
    "best_practices": "app.ui.materials.material_dialog:open_material",
    "reviews": "app.ui.materials.review_score_dialog:open_review",
    "criteria_sheets": "app.ui.materials.criteria_sheet_dialog:open_sheet",
}


def custom_form(entity: str) -> Callable | None:
    target = FORMS.get(entity)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)
