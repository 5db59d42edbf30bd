"""Every entity the services serve: its fields, labels, list columns and ownership.

One declaration per entity drives create/update validation, lists, the CLI
and the GUI tables, so a field's Russian label is written once. This module is
the door: it loads every declaration module, in the order lists and the audit show them.
"""
from __future__ import annotations

# Loaded for their declarations, which fill SPECS.
from app.services.registry import specs_people, specs_activity, specs_review  # noqa: F401
from app.services.registry.spec_types import SPECS, EntitySpec

__all__ = ["ALIASES", "SPECS", "STATS_KEYS", "EntitySpec", "spec_for", "spec_for_model"]


# The entities `stats` reports, in its documented key order.
STATS_KEYS: dict[str, str] = {
    "organizations": "organizations", "teachers": "teachers", "programmes": "programmes",
    "diagnostics": "diagnostics", "trajectories": "trajectories", "mentorships": "mentorships",
    "communities": "communities", "events": "events", "participations": "participations",
    "materials": "materials", "reviews": "reviews", "agreements": "agreements", "requests": "requests",
    "courses": "courses",
}


# Other names the command line accepts for an entity.
ALIASES: dict[str, str] = {"network_courses": "courses", "course_enrolments": "enrolments"}


def spec_for(name: str) -> EntitySpec:
    try:
        return SPECS[ALIASES.get(name, name)]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        from app.services.common.errors import ServiceError

        raise ServiceError(f"Неизвестный вид записей «{name}». Доступны: {known}.") from None


def spec_for_model(model: type) -> EntitySpec:
    return next(s for s in SPECS.values() if s.model is model)
