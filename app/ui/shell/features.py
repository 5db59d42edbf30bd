"""The features lend the shared widgets what they draw (see ui.common.extension_points).

Called by setup_application, so the window and the tests see the same wiring.
The modules are imported here, when the application is set up, not when the
shell is imported: a command-line run that never opens a window pays nothing.
"""
from __future__ import annotations


def install() -> None:
    """Fills the extension points; calling it again changes nothing."""
    from app.ui.common import extension_points as points
    from app.ui.development.competences_editor import COMPETENCE_FIELDS, CompetencesEditor
    from app.ui.development.form_extensions import RESULT_ROWS, ROUTE_ROWS, deficits_follow_diagnostic
    from app.ui.development.list_action import GroupRoutesAction
    from app.ui.duplicates.list_action import DuplicatesAction
    from app.ui.events.card import EventCardDialog
    from app.ui.events.list_action import CertificatesAction
    from app.ui.importing.list_action import IMPORTABLE, ImportAction
    from app.ui.materials.criteria_sheet_dialog import open_sheet
    from app.ui.materials.material_dialog import open_material
    from app.ui.materials.review_score_dialog import open_review
    from app.ui.registry.teacher_card_dialog import TeacherCardDialog

    def open_participation(parent, service, record_id: str) -> bool:
        """A participation is edited on its event's attendance sheet, which keeps the routes in step."""
        return EventCardDialog.open_card(parent, service, service.get("participations", record_id)["event_id"])

    points.FORMS.update({"materials": open_material, "best_practices": open_material, "reviews": open_review,
                         "criteria_sheets": open_sheet})
    points.CARDS.update({"teachers": TeacherCardDialog.open_card, "events": EventCardDialog.open_card,
                         "participations": open_participation})
    points.FIELD_EDITORS.update({name: CompetencesEditor for name in COMPETENCE_FIELDS})
    points.OWNED_ROWS.update({"trajectories": ROUTE_ROWS, "diagnostics": RESULT_ROWS})
    points.FORM_BEHAVIOURS.update({"trajectories": deficits_follow_diagnostic})
    actions: dict[str, tuple] = {entity: (ImportAction,) for entity in IMPORTABLE}
    actions["teachers"] += (DuplicatesAction,)
    actions["trajectories"] = (GroupRoutesAction,)
    actions["events"] = (CertificatesAction,)
    points.PAGE_ACTIONS.update(actions)

