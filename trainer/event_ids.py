"""Event ids count once in training (spec §5.3, §9.1), across imported and streamed events.

An imported row's EVENT_ID (when the Interactions schema has that field) and a streamed event's
``eventId`` name the same event: a streamed event repeating an imported id, or the id of an
earlier streamed event, is left out. The imported row wins: a bulk import of the event history
(often the very events that were streamed live, with their ids) is the record of reference.
Rows without an id always count.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select

from domain.errors import TailorError
from storage.metadata.models import EventRow
from storage.metadata.store import SqlMetadataStore


def streamed_event_ids(store: SqlMetadataStore, group_arn: str, until_seq: int) -> pa.Array:
    """The ``eventId`` of each row ``read_streamed_interactions`` returns, in its order.

    That reader keeps the first event of each ``eventId`` in ``seq`` order and does not return
    the id; this reads the same rows' ids. (To go when the reader returns them itself.)

    Returns:
        string (n,) event ids (null where an old event has none).

    """
    events = EventRow.__table__.c
    query = (
        select(events.event_id)
        .where(events.dataset_group_arn == group_arn, events.seq <= until_seq)
        .order_by(events.seq)
    )
    with store.engine.connect() as connection:
        ids = pa.array(connection.execute(query).scalars().all(), pa.string())
    if len(ids) == 0:
        return ids
    rows = pa.table({"id": ids, "row": np.arange(len(ids), dtype=np.int64)})
    firsts = rows.group_by("id", use_threads=False).aggregate([("row", "min")])
    return ids.take(np.sort(firsts["row_min"].to_numpy()))


def first_event_ids(
    bulk_event_ids: pa.ChunkedArray | pa.Array | None, streamed_event_ids: pa.Array
) -> np.ndarray:
    """Which streamed events bring a new event id.

    Args:
        bulk_event_ids: string (m,) EVENT_ID of the imported rows (nulls allowed), or None when
            the schema has no EVENT_ID field.
        streamed_event_ids: string (n,) ``eventId`` of the streamed events, oldest first.

    Returns:
        bool (n,): True for an event whose id is null, or is neither an imported EVENT_ID nor the
        id of an earlier streamed event.

    """
    n = len(streamed_event_ids)
    valid = pc.is_valid(streamed_event_ids).to_numpy(zero_copy_only=False)
    rows = pa.table({"id": streamed_event_ids, "row": np.arange(n, dtype=np.int64)})
    firsts = rows.filter(pa.array(valid)).group_by("id", use_threads=False)
    keep = ~valid
    keep[firsts.aggregate([("row", "min")])["row_min"].to_numpy()] = True
    if bulk_event_ids is not None and len(bulk_event_ids):
        imported = pc.drop_null(bulk_event_ids)
        if isinstance(imported, pa.ChunkedArray):
            imported = imported.combine_chunks()
        seen = pc.is_in(streamed_event_ids, value_set=pc.cast(imported, pa.string()))
        keep &= ~pc.fill_null(seen, False).to_numpy(zero_copy_only=False)
    return keep


def streamed_events_to_keep(
    store: SqlMetadataStore,
    group_arn: str,
    until_seq: int,
    bulk_event_ids: pa.ChunkedArray | pa.Array | None,
    n_streamed: int,
) -> np.ndarray:
    """Which rows of ``read_streamed_interactions(store, group_arn, until_seq)`` count.

    Args:
        store: The metadata store holding the event log.
        group_arn: The dataset group.
        until_seq: The ``seq`` the streamed events were read up to.
        bulk_event_ids: string (m,) EVENT_ID of the imported rows, or None (no such field).
        n_streamed: The rows that reader returned.

    Returns:
        bool (n,) over the streamed rows (:func:`first_event_ids`).

    Raises:
        TailorError: the event log lost events between the two reads (a data deletion job ran);
            training again reads a consistent log.

    """
    streamed_ids = streamed_event_ids(store, group_arn, until_seq)
    if len(streamed_ids) != n_streamed:
        raise TailorError("the event log changed while training read it; train again")
    return first_event_ids(bulk_event_ids, streamed_ids)
