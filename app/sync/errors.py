"""What the exchange raises: a refused package or action, always with a Russian message."""
from __future__ import annotations

from app.services.common.errors import ServiceError


class SyncError(ServiceError):
    """A refused sync action; nothing was changed in the database."""


class PackageRefused(SyncError):
    """A package that cannot be imported (damaged, foreign, out of order, invalid)."""


class KeyConflict(SyncError):
    """A key card for a municipality code (or an installation) already bound to another trusted key."""
