"""Every dialog a user can open, built on the demo database as the program builds it: name → factory.

The screen probe (screen_probe.dialogs_main) opens them one by one on a simulated screen; a new dialog
class under app/ui that is not here fails tests/ui/shell/test_dialogs_on_screens.py by name."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget


def _first(service, entity: str) -> str:
    return service.ids(entity)[0]


def _reloaded(dialog):
    dialog.reload()          # as the program opens it (show_log, open_trash, the duplicates button)
    return dialog


def _factories():
    from app.services.accounts.accounts import actor_for
    from app.ui.accounts.accounts_page import AccountsDialog, NewAccountDialog
    from app.ui.accounts.audit_page import AuditDialog
    from app.ui.accounts.login_dialog import ChangePasswordDialog, LoginDialog, SetupAdminDialog
    from app.ui.common.trash_dialog import TrashDialog
    from app.ui.demo.first_start_dialog import FirstStartDialog
    from app.ui.development.route_item_dialog import RouteItemDialog
    from app.ui.duplicates.duplicates_dialog import DuplicatesDialog
    from app.ui.duplicates.merge_log_dialog import MergeLogDialog
    from app.ui.events.certificate_verify_dialog import VerifyCertificateDialog
    from app.ui.events.certificates_dialog import CertificatesDialog
    from app.ui.events.page import EventPlanImportDialog
    from app.ui.events.series_dialog import CopyEventDialog, SeriesDialog
    from app.ui.importing.dialog import ImportDialog
    from app.ui.maintenance.backups_page import BackupsDialog
    from app.ui.materials.criteria_sheet_dialog import CriteriaSheetDialog
    from app.ui.materials.material_dialog import MaterialDialog
    from app.ui.materials.review_dialog import ReviewDialog
    from app.ui.materials.review_score_dialog import ReviewScoreDialog
    from app.ui.duplicates.merge_dialog import MergeDialog
    from app.ui.reports.deadlines_dialog import DeadlinesDialog
    from app.ui.shell.first_run import FirstRunWizard
    from app.ui.shell.help_menu import HelpDialog, help_text
    from app.ui.shell.server_dialog import ServerDialog
    from app.ui.sync.centre_dialog import CentreDialog
    from app.ui.sync.dialogs import PassphraseDialog

    return {
        "AccountsDialog": lambda s, db: AccountsDialog(db),
        "NewAccountDialog": lambda s, db: NewAccountDialog(db),
        "AuditDialog": lambda s, db: AuditDialog(db),
        "LoginDialog": lambda s, db: LoginDialog(db),
        "SetupAdminDialog": lambda s, db: SetupAdminDialog(db),
        "ChangePasswordDialog": lambda s, db: ChangePasswordDialog(db),
        "TrashDialog": lambda s, db: _reloaded(TrashDialog(s, "teachers")),
        "FirstStartDialog": lambda s, db: FirstStartDialog(),
        "RouteItemDialog": lambda s, db: RouteItemDialog(s),
        "DuplicatesDialog": lambda s, db: _reloaded(DuplicatesDialog(db, actor_for(db))),
        "MergeLogDialog": lambda s, db: _reloaded(MergeLogDialog(db, actor_for(db))),
        "VerifyCertificateDialog": lambda s, db: VerifyCertificateDialog(db),
        "CertificatesDialog": lambda s, db: CertificatesDialog(db, actor_for(db), _first(s, "events")),
        "EventPlanImportDialog": lambda s, db: EventPlanImportDialog(db, date.today().year),
        "SeriesDialog": lambda s, db: SeriesDialog(s),
        "CopyEventDialog": lambda s, db: CopyEventDialog(s, _first(s, "events")),
        "ImportDialog": lambda s, db: ImportDialog(db, "teachers"),
        "BackupsDialog": lambda s, db: BackupsDialog(db),
        "CriteriaSheetDialog": lambda s, db: CriteriaSheetDialog(s),
        "MaterialDialog": lambda s, db: MaterialDialog(s, _first(s, "materials")),
        "ReviewDialog": lambda s, db: ReviewDialog(s, _first(s, "materials")),
        "ReviewScoreDialog": lambda s, db: ReviewScoreDialog(s, _first(s, "reviews")),
        "MergeDialog": lambda s, db: MergeDialog(db, actor_for(db), *s.ids("teachers")[:2]),
        "DeadlinesDialog": lambda s, db: DeadlinesDialog(db),
        "FirstRunWizard": lambda s, db: FirstRunWizard(),
        "HelpDialog": lambda s, db: HelpDialog(help_text("teachers")),
        "ServerDialog": lambda s, db: ServerDialog(),
        "CentreDialog": lambda s, db: CentreDialog(db),
        "PassphraseDialog": lambda s, db: PassphraseDialog(new=True),
    }


# Opened by the screen probe's own cases (screen_probe.DIALOGS: the card, the group routes, the teacher
# form, the event card) or a base class; the package preview needs a package read first (its own test).
NOT_HERE = {"TeacherCardDialog", "GroupRoutesDialog", "EventCardDialog", "RecordDialog", "FormDialog",
            "TaskProgressDialog", "TeacherListPicker", "PreviewDialog"}


def names() -> list[str]:
    return list(_factories())


def open_catalogued(service, db, name: str) -> QWidget:
    return _factories()[name](service, db)
