"""Deleting users' streamed data: their events, their sessions' links and their records.

Used by data deletion jobs, inside the transaction that also swaps the datasets' rewritten
segments in (see ``SegmentRecords.replace_segments``), so that either all of a user's data goes or
none of it. Plain SQLAlchemy Core statements: the same on SQLite and PostgreSQL.

What a user's streamed data is (the training semantics of ``training_tables``, spec §9.1):

* every event of the group that carried the user's id;
* the anonymous events (no userId) of the sessions linked to the user: training counts them as
  the user's, and the online store serves them as part of the user's history;
* the links of those sessions to the user (``session_users``);
* the user's PutUsers records (``dataset_records`` of the group's Users datasets).

Events that carried another user's id in a session the user also used stay: they are that other
user's data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select

from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow

#: Ids bound per statement: under every driver's parameter limit (SQLite's oldest is 999).
IDS_PER_STATEMENT = 500
_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__


@dataclass(frozen=True)
class StreamedDeletion:
    """What :func:`delete_streamed_user_data` removed.

    Attributes:
        events: Event-log rows (the users' own events and their linked sessions' anonymous ones).
        records: PutUsers records.
        session_links: Links of sessions to the users.

    """

    events: int
    records: int
    session_links: int


def delete_streamed_user_data(
    connection: Connection,
    dataset_group_arn: str,
    user_ids: Sequence[str],
    users_dataset_arns: Sequence[str] = (),
) -> StreamedDeletion:
    """Delete the users' events, session links and records, in the caller's transaction.

    Args:
        connection: A connection inside an open (write) transaction; nothing is committed here.
        dataset_group_arn: The dataset group whose event log is cleaned.
        user_ids: The users (distinct ids).
        users_dataset_arns: The group's Users datasets, whose PutUsers records go too.

    Returns:
        How many rows of each kind were deleted.

    """
    events = records = links = 0
    in_group = _EVENTS.c.dataset_group_arn == dataset_group_arn
    for users in _chunks(user_ids):
        sessions = connection.scalars(
            select(_LINKS.c.session_id).where(
                _LINKS.c.dataset_group_arn == dataset_group_arn, _LINKS.c.user_id.in_(users)
            )
        ).all()
        for linked in _chunks(sessions):
            events += _count(
                connection.execute(
                    delete(_EVENTS).where(
                        in_group, _EVENTS.c.user_id.is_(None), _EVENTS.c.session_id.in_(linked)
                    )
                )
            )
        events += _count(
            connection.execute(delete(_EVENTS).where(in_group, _EVENTS.c.user_id.in_(users)))
        )
        links += _count(
            connection.execute(
                delete(_LINKS).where(
                    _LINKS.c.dataset_group_arn == dataset_group_arn, _LINKS.c.user_id.in_(users)
                )
            )
        )
        for dataset_arn in users_dataset_arns:
            records += _count(
                connection.execute(
                    delete(_RECORDS).where(
                        _RECORDS.c.dataset_arn == dataset_arn, _RECORDS.c.record_id.in_(users)
                    )
                )
            )
    return StreamedDeletion(events=events, records=records, session_links=links)


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        yield list(ids[start : start + IDS_PER_STATEMENT])


def _count(result: object) -> int:
    return max(int(getattr(result, "rowcount", 0) or 0), 0)
