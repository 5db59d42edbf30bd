"""A participation written anywhere (the generic form, an import, the bin) keeps the teacher's route and
certificate in step, as the event card's attendance sheet does (registered in registry.write_hooks)."""
from __future__ import annotations

from sqlalchemy import select

from app.domain import enums as E
from app.storage.models import Event, Participation

PARTICIPATIONS = "participations"


def after_write(b, entity: str, ids: list[str]) -> None:
    if entity != PARTICIPATIONS or not ids:
        return
    from app.services.development.common import pd_settings
    from app.services.events.certificates import revoke_for_absence
    from app.services.events.routes import sync_item

    s = b.session
    rows = list(s.scalars(select(Participation).where(Participation.id.in_(ids))))
    per_credit = pd_settings(b.service.db).hours_per_credit
    for p in rows:
        event = s.get(Event, p.event_id)
        if (p.deleted_at is None and p.attendance == E.Attendance.PRESENT.value and not p.hours
                and event is not None and event.hours):
            # As the attendance sheet does: present without hours means the event's hours (this update
            # runs the hook again, which then syncs the item).
            b.update(PARTICIPATIONS, p.id, {"hours": event.hours})
            continue
        sync_item(b, p, per_credit)
    # A certificate attests attendance: one whose participant is no longer marked present is revoked.
    revoke_for_absence(s, [p.id for p in rows if p.deleted_at is None
                           and p.attendance != E.Attendance.PRESENT.value], b.service.actor)
