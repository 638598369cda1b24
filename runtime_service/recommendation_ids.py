"""The ``recommendationId`` of every runtime answer (PutEvents may quote it back)."""

from __future__ import annotations

import itertools
import os
import threading
import uuid

_ids_lock = threading.Lock()
_ids: tuple[str, itertools.count] | None = None


def _forget_ids() -> None:
    """A forked child draws its own prefix: it must not repeat its parent's ids."""
    global _ids
    _ids = None


os.register_at_fork(after_in_child=_forget_ids)


def recommendation_id() -> str:
    """A unique id: a random prefix drawn once per process, then a counter (no syscall)."""
    global _ids
    ids = _ids
    if ids is None:
        with _ids_lock:
            if _ids is None:
                _ids = (uuid.uuid4().hex[:16], itertools.count())
            ids = _ids
    return f"RID-{ids[0]}{next(ids[1]):016x}"
