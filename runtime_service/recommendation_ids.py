"""The ``recommendationId`` of every runtime answer (PutEvents may quote it back)."""

from __future__ import annotations

import itertools
import os
import threading
import uuid

_ids_lock = threading.Lock()
_ids: tuple[int, str, itertools.count] | None = None


def recommendation_id() -> str:
    """A unique id: a random prefix drawn once per process, then a counter (no syscall)."""
    global _ids
    ids = _ids
    if ids is None or ids[0] != os.getpid():
        with _ids_lock:
            if _ids is None or _ids[0] != os.getpid():
                _ids = (os.getpid(), uuid.uuid4().hex[:16], itertools.count())
            ids = _ids
    return f"RID-{ids[1]}{next(ids[2]):016x}"
