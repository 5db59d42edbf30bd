"""Making the first-run wizard's answers true on the database it opened: the administrator (signed in),
the exchange identity of the centre, its own municipality; demo data is started by the window."""
from __future__ import annotations

from app.services.access.permissions import ADMIN
from app.services.accounts import accounts
from app.services.registry.service import RecordService
from app.sync.exchange import init_installation
from app.ui.shell.first_run import ROLE_MUNICIPAL, FirstRunChoices


def apply_choices(db, choices: FirstRunChoices) -> None:
    """Raises ServiceError/SyncError (a Russian message) when a step is refused; what was done stays done and
    can be finished later: the sign-in, «Обмен с регионом», «Муниципальные образования»."""
    accounts.create_account(db, choices.admin_login, choices.admin_password, ADMIN, full_name=choices.admin_name)
    accounts.sign_in(db, choices.admin_login, choices.admin_password)
    init_installation(db, choices.role, choices.code, choices.centre_name)
    if choices.role == ROLE_MUNICIPAL:
        RecordService(db, accounts.actor_for(db)).create(
            "municipalities", {"code": choices.code, "name": choices.municipality_name})
