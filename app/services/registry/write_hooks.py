"""What a higher feature does after any write of a record, whoever made it (the extension point of RecordService).

The registry sits below the features and must not import them, yet a write
through the generic form or an import must have the same consequences as one
through the feature's own window (a participation marked present puts the
event into the teacher's route). A feature lends a hook here when its package
is imported; RecordService runs every hook inside the same transaction, after
its own bookkeeping (pd_status.after_write).
"""
from __future__ import annotations

from typing import Any, Callable

# (the service.Batch of the write, the entity written, the ids written) → nothing. The batch is typed
# loosely: service imports this module, and the folder's modules must not import in a circle.
WriteHook = Callable[[Any, str, list[str]], None]
_HOOKS: list[WriteHook] = []


def register(hook: WriteHook) -> None:
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def run(batch: Any, entity: str, ids: list[str]) -> None:
    for hook in tuple(_HOOKS):
        hook(batch, entity, ids)
