"""The SQL online store, on the metadata database.

It reads the tables the durable writer commits to, so every acknowledged write is visible at once:
read-your-writes needs nothing beyond the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, select

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow
from storage.online.store import DEFAULT_RECENT_EVENTS, MAX_LINKED_SESSIONS, OnlineStore
from storage.streamed.event_rows import READ_COLUMNS, event_from_row, record_from_row

_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__
_EVENT_SELECT = select(*(_EVENTS.c[name] for name in READ_COLUMNS))


class SqlOnlineStore(OnlineStore):
    """Online reads of ``events``, ``session_users`` and ``dataset_records``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def apply(
        self,
        *,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> None:
        """Nothing to do: the durable writer's commit already wrote the tables read here."""

    def recent_events(
        self,
        dataset_group_arn: str,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        limit: int = DEFAULT_RECENT_EVENTS,
    ) -> list[StreamedEvent]:
        """See :meth:`OnlineStore.recent_events`."""
        in_group = _EVENTS.c.dataset_group_arn == dataset_group_arn
        newest = _EVENTS.c.seq.desc()
        found: dict[int, StreamedEvent] = {}
        with self._engine.connect() as connection:
            queries = []
            if user_id is not None:
                queries.append(_EVENT_SELECT.where(in_group, _EVENTS.c.user_id == user_id))
                linked = connection.scalars(
                    select(_LINKS.c.session_id)
                    .where(_LINKS.c.dataset_group_arn == dataset_group_arn)
                    .where(_LINKS.c.user_id == user_id)
                    .order_by(_LINKS.c.updated_at.desc())
                    .limit(MAX_LINKED_SESSIONS)
                ).all()
                if linked:
                    queries.append(
                        _EVENT_SELECT.where(
                            in_group, _EVENTS.c.session_id.in_(linked), _EVENTS.c.user_id.is_(None)
                        )
                    )
            if session_id is not None:
                queries.append(_EVENT_SELECT.where(in_group, _EVENTS.c.session_id == session_id))
            for query in queries:
                for row in connection.execute(query.order_by(newest).limit(limit)).mappings():
                    found.setdefault(row["seq"], event_from_row(row))
        return [found[seq] for seq in sorted(found, reverse=True)[:limit]]

    def session_user(self, dataset_group_arn: str, session_id: str) -> str | None:
        """See :meth:`OnlineStore.session_user`."""
        with self._engine.connect() as connection:
            return connection.scalar(
                select(_LINKS.c.user_id).where(
                    _LINKS.c.dataset_group_arn == dataset_group_arn,
                    _LINKS.c.session_id == session_id,
                )
            )

    def get_records(self, dataset_arn: str, record_ids: Iterable[str]) -> dict[str, DatasetRecord]:
        """See :meth:`OnlineStore.get_records`."""
        wanted = list(dict.fromkeys(record_ids))
        if not wanted:
            return {}
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_RECORDS).where(
                    _RECORDS.c.dataset_arn == dataset_arn, _RECORDS.c.record_id.in_(wanted)
                )
            ).mappings()
            return {row["record_id"]: record_from_row(row) for row in rows}
