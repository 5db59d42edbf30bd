"""Who performs an action; recorded in the audit log."""
from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str

    @classmethod
    def system_user(cls) -> "Actor":
        # Until accounts exist the operating-system user stands for the person.
        try:
            return cls(getpass.getuser())
        except Exception:  # noqa: BLE001 - getpass raises various errors without a login name
            return cls("unknown")
