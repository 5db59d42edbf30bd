"""What development lends the shared form: a route's items and a diagnostic's scores as the rows they own,
the competence checklists, and a route whose deficits follow its diagnostic."""
from __future__ import annotations

from app.services.registry.service import RecordService
from app.ui.common.extension_points import OwnedRows
from app.ui.common.record_dialog import RecordDialog
from app.ui.development.diagnostic_results import RESULTS_KIND, DiagnosticResultsEditor, diagnostic_deficits
from app.ui.development.route_items import RouteItemsEditor
from app.ui.development.route_values import ROUTE_DIALOG_SIZE, ROUTE_KIND

ROUTE_ROWS = OwnedRows(ROUTE_KIND, RouteItemsEditor, ROUTE_DIALOG_SIZE)
RESULT_ROWS = OwnedRows(RESULTS_KIND, DiagnosticResultsEditor, ROUTE_DIALOG_SIZE)


def deficits_follow_diagnostic(dialog: RecordDialog, service: RecordService) -> None:
    """A route based on a diagnostic addresses its deficits: ticked when none are ticked yet."""
    deficits, diagnostic = dialog.editors["deficits"], dialog.editors["diagnostic_id"]

    def fill() -> None:
        if deficits.is_blank():
            codes = diagnostic_deficits(service, diagnostic.value())
            if codes:
                deficits.set_value(",".join(codes))

    diagnostic.changed.connect(fill)
