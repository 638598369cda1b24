"""The users' bulk-imported interactions as served, built once and shared by serving processes.

Building them reads every Interactions segment and sorts all rows (2.8M rows: a few seconds and
about 45 MB of arrays). The first process to build a campaign's histories writes the arrays as
``.npy`` files into a cache directory (``$TAILOR_HOME/runtime-cache``), under a key naming the
solution version and the exact segments read; every process, the first included, then
memory-maps them read-only, so N serving processes hold one copy in the page cache instead of N.
A new import or a data deletion job (new segments: a served deployment reads them again,
``runtime_service.data_refresh``) or a new version is a new key. Writing a version's entry deletes
its entries over other segments (so a data deletion job's users leave the cache too: processes
still mapping an old entry keep their mapping), and entries unused for ``CACHE_MAX_AGE_S``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recipes.interactions import encode_ids, lookup_codes
from runtime_service.model_registry import BulkHistories

CACHE_MAX_AGE_S = 7 * 86400.0
_ARRAYS = ("user_ids", "indptr", "item_codes", "timestamps", "event_types")
_NAMES_FILE = "event_type_names.json"


def histories_from_table(table: pa.Table, item_ids: np.ndarray) -> BulkHistories:
    """Per-user histories of the model's items from Interactions rows.

    Args:
        table: USER_ID, ITEM_ID, TIMESTAMP and optionally EVENT_TYPE columns.
        item_ids: unicode (n_items,) the model's item ids; rows of other items are dropped.

    Returns:
        The histories, users sorted by id, each user's events oldest first.

    """
    kinds, kind_names = None, ()
    if "EVENT_TYPE" in table.column_names:
        event_types = pc.fill_null(pc.cast(table.column("EVENT_TYPE"), pa.string()), "")
        kinds, names = encode_ids(event_types)
        kinds, kind_names = kinds.astype(np.int16), tuple(names.tolist())
    # Users as dense codes (no Python string per row: 2.8M rows would cost seconds and leave
    # hundreds of MB of freed small objects in the process), then ranked by id so that
    # ``BulkHistories.of`` can binary-search the ids.
    user_codes, distinct_users = encode_ids(table.column("USER_ID"))
    codes = lookup_codes(table.column("ITEM_ID"), item_ids)
    stamps = np.asarray(table.column("TIMESTAMP").to_numpy(zero_copy_only=False), np.int64)
    by_id = np.argsort(distinct_users, kind="stable")
    rank = np.empty_like(by_id)
    rank[by_id] = np.arange(by_id.shape[0])
    users = rank[user_codes]
    known = codes >= 0
    order = np.flatnonzero(known)[np.lexsort((stamps[known], users[known]))]
    users, codes, stamps = users[order], codes[order], stamps[order]
    if kinds is not None:
        kinds = kinds[order]
    counts = np.bincount(users, minlength=distinct_users.shape[0])
    present = counts > 0
    indptr = np.zeros(int(present.sum()) + 1, np.int64)
    np.cumsum(counts[present], out=indptr[1:])
    user_ids = distinct_users[by_id][present]
    return BulkHistories(user_ids, indptr, codes.astype(np.int32), stamps, kinds, kind_names)


def cache_key(version_arn: str, segment_uris: Sequence[str]) -> str:
    """The cache entry name of a version's histories over exactly these segments.

    ``{version digest}-{segments digest}``: the entries of one version share the prefix.
    """
    version = hashlib.sha256(version_arn.encode()).hexdigest()[:16]
    segments = hashlib.sha256("\n".join(segment_uris).encode()).hexdigest()[:16]
    return f"{version}-{segments}"


def shared_histories(
    cache_dir: Path | None, key: str, build: Callable[[], BulkHistories | None]
) -> BulkHistories | None:
    """The histories of cache entry ``key``, memory-mapped (built and written first if missing).

    Without a cache directory they are built in memory.

    Args:
        cache_dir: The cache directory, or None for no cache.
        key: The entry (:func:`cache_key`).
        build: Builds the histories (None when there are none).

    Returns:
        The histories, or None.

    Raises:
        OSError: the cache directory cannot be written.

    """
    if cache_dir is None:
        return build()
    entry = cache_dir / key
    if not entry.is_dir():
        cache_dir.mkdir(parents=True, exist_ok=True)
        # One builder per entry: processes starting together wait for the first one's files
        # instead of each paying the build (seconds of CPU, hundreds of MB at peak).
        with open(cache_dir / f".{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not entry.is_dir():
                histories = build()
                if histories is None:
                    return None
                _write(cache_dir, entry, histories)
    os.utime(entry)  # in use: not pruned
    return _read(entry)


def _write(cache_dir: Path, entry: Path, histories: BulkHistories) -> None:
    _prune(cache_dir)
    partial = cache_dir / f".{entry.name}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in _ARRAYS:
        array = getattr(histories, name)
        if array is not None:
            np.save(partial / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    (partial / _NAMES_FILE).write_text(json.dumps(list(histories.event_type_names)))
    try:
        partial.rename(entry)  # atomic: readers see a whole entry or none
    except OSError:  # another process wrote it first
        shutil.rmtree(partial, ignore_errors=True)
    version_prefix = entry.name.split("-", 1)[0] + "-"
    for older in cache_dir.glob(f"{version_prefix}*"):
        if older.name != entry.name and older.is_dir():
            shutil.rmtree(older, ignore_errors=True)  # mapped files stay readable until unmapped


def _read(entry: Path) -> BulkHistories:
    arrays = {}
    for name in _ARRAYS:
        path = entry / f"{name}.npy"
        if path.exists():
            try:
                arrays[name] = np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
            except ValueError:  # an empty array cannot be mapped
                arrays[name] = np.load(path, allow_pickle=False)
    names = tuple(json.loads((entry / _NAMES_FILE).read_text()))
    return BulkHistories(
        arrays["user_ids"],
        arrays["indptr"],
        arrays["item_codes"],
        arrays["timestamps"],
        arrays.get("event_types"),
        names,
    )


def _prune(cache_dir: Path) -> None:
    """Delete entries (and abandoned partial writes) unused for ``CACHE_MAX_AGE_S``."""
    oldest = time.time() - CACHE_MAX_AGE_S
    for path in cache_dir.iterdir():
        try:
            if path.stat().st_mtime < oldest:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()
        except OSError:
            continue
