"""What a batch job scores with: a solution version's model, the users' histories, its filter.

A batch job answers from its solution version alone, as AWS does (spec §11.1: events streamed
after training are seen only after retraining): the model is the version's artifact, and each
user's history is the group's bulk interactions plus the events streamed up to the version's
``tailorEventSeq`` (what the version was trained on), all event types, items the model does not
know left out, the same history the runtime builds from bulk data and recent events. Users
without a history (unknown users) get the model's popular items, as at the runtime.

A job filter is evaluated per input line with the runtime's ``evaluate_filter`` over the
model's item index, with the Items dataset's records (bulk, overlaid by PutItems) as item
metadata, the user's interactions (newest first) for ``Interactions`` conditions and, only for
filters with an ``IF`` clause, the Users dataset's records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.errors import InvalidInputException, TailorError
from domain.filter_expression import FilterExpression, parse_filter_expression
from domain.resources import ACTIVE, Resource
from recipes.evaluation import Model
from recipes.filter_evaluation import ItemMetadata, evaluate_filter
from recipes.histories import Histories
from recipes.interactions import lookup_codes
from storage.artifacts import ArtifactStore
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from storage.streamed.training_tables import read_streamed_records
from trainer.dataset_reader import read_dataset
from trainer.item_data import items_table
from trainer.solution_training import ARTIFACT_MEMBER, EVENT_SEQ_MEMBER
from trainer.training_data import group_datasets, interactions_table


@dataclass(frozen=True)
class UserHistories:
    """Every user's history, one row per user, and an empty last row for unknown users.

    Attributes:
        user_ids: unicode (u,) sorted user ids.
        histories: u + 1 rows of the model's item codes, oldest first.
        event_type_codes: int32 (nnz,) each history event's type, as a code of
            ``event_types``.
        event_types: unicode (t,) the distinct event types.

    """

    user_ids: np.ndarray
    histories: Histories
    event_type_codes: np.ndarray
    event_types: np.ndarray

    def rows_of(self, user_ids: Sequence[str | None]) -> np.ndarray:
        """int64 (b,) history rows of ``user_ids``; the empty row for unknown (or None) ones."""
        ids = np.asarray([user or "" for user in user_ids], dtype=str)
        unknown = self.user_ids.shape[0]
        if unknown == 0:
            return np.full(ids.shape[0], 0, np.int64)
        rows = np.searchsorted(self.user_ids, ids).astype(np.int64)
        rows = np.minimum(rows, unknown - 1)
        return np.where(self.user_ids[rows] == ids, rows, unknown)

    def events_of(self, row: int, item_ids: np.ndarray) -> list[tuple[str, str]]:
        """(item id, event type) of history ``row``, newest first (filters' user events)."""
        start, end = self.histories.indptr[row], self.histories.indptr[row + 1]
        codes = self.histories.item_codes[start:end][::-1]
        types = self.event_types[self.event_type_codes[start:end][::-1]]
        return [(str(item_ids[c]), str(t)) for c, t in zip(codes, types, strict=True)]


@dataclass(frozen=True)
class BatchVersion:
    """A solution version loaded for a batch job.

    Attributes:
        arn: The solution version.
        dataset_group_arn: Its dataset group.
        model: The model (memory-mapped arrays).
        item_ids: unicode (n_items,) item id of each model item code.
        users: The users' histories.

    """

    arn: str
    dataset_group_arn: str
    model: Model
    item_ids: np.ndarray
    users: UserHistories

    def item_codes(self, item_ids: Sequence[str]) -> np.ndarray:
        """int64 (m,) model codes of ``item_ids``; -1 for items the model does not know."""
        if not item_ids:
            return np.zeros(0, np.int64)
        return lookup_codes(list(item_ids), self.item_ids).astype(np.int64)


def model_uri(store: SqlMetadataStore, version_arn: str) -> str:
    """The artifact URI of an ACTIVE solution version (a cheap check before any reading).

    Raises:
        TailorError: the version is gone, not ACTIVE, or has no model.

    """
    return _version_and_model(store, version_arn)[1]


def _version_and_model(store: SqlMetadataStore, version_arn: str) -> tuple[Resource, str]:
    version = store.get_resource(version_arn)
    if version is None or version.status != ACTIVE:
        raise TailorError(f"solutionVersionArn: {version_arn} no longer exists or is not ACTIVE")
    uri = version.document.get(ARTIFACT_MEMBER)
    if not uri:
        raise TailorError(f"solutionVersionArn: {version_arn} has no trained model")
    return version, str(uri)


def load_batch_version(
    store: SqlMetadataStore,
    segments: SegmentStore,
    artifacts: ArtifactStore,
    version_arn: str,
) -> BatchVersion:
    """Load a version's model and its users' histories.

    Raises:
        TailorError: the version is gone, has no model, or its model cannot be read.

    """
    version, uri = _version_and_model(store, version_arn)
    try:
        artifact = artifacts.open_artifact(uri)
        item_ids = artifact.arrays["item_ids"]
    except (OSError, ValueError, KeyError) as exc:
        raise TailorError(f"cannot load the model of {version_arn}: {exc}") from None
    group_arn = version.dataset_group_arn or ""
    seq = int(version.document.get(EVENT_SEQ_MEMBER) or 0)
    users = _user_histories(store, segments, group_arn, seq, item_ids)
    return BatchVersion(version_arn, group_arn, artifact.model, item_ids, users)


def _user_histories(
    store: SqlMetadataStore, segments: SegmentStore, group_arn: str, seq: int, item_ids: np.ndarray
) -> UserHistories:
    """Bulk and streamed interactions of known items as per-user histories (arrow-side sorts)."""
    dataset_arn = group_datasets(store, group_arn).get("INTERACTIONS")
    if dataset_arn is None:
        empty = Histories(np.zeros(2, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64))
        return UserHistories(np.zeros(0, str), empty, np.zeros(0, np.int32), np.zeros(0, str))
    table, _, _ = interactions_table(store, segments, dataset_arn, group_arn, seq)
    codes = lookup_codes(table["ITEM_ID"], item_ids)
    table = table.append_column("CODE", pa.array(codes))
    table = table.filter(pc.and_(pc.is_valid(table["USER_ID"]), pc.greater_equal(codes, 0)))
    # Arrow orders strings by UTF-8 bytes, which is numpy's code-point order too.
    table = table.sort_by([("USER_ID", "ascending"), ("TIMESTAMP", "ascending")])
    users = pc.dictionary_encode(table["USER_ID"].combine_chunks())
    user_ids = np.asarray(users.dictionary.to_pylist(), dtype=str)
    counts = np.bincount(users.indices.to_numpy(zero_copy_only=False), minlength=len(user_ids))
    indptr = np.zeros(len(user_ids) + 2, np.int64)
    np.cumsum(counts, out=indptr[1:-1])
    indptr[-1] = indptr[-2]
    stamps = pc.fill_null(table["TIMESTAMP"], 0).to_numpy(zero_copy_only=False)
    histories = Histories(
        indptr,
        table["CODE"].to_numpy(zero_copy_only=False).astype(np.int32),
        stamps.astype(np.int64),
    )
    types = pc.dictionary_encode(pc.fill_null(table["EVENT_TYPE"], "").combine_chunks())
    type_codes = types.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    return UserHistories(
        user_ids, histories, type_codes, np.asarray(types.dictionary.to_pylist(), dtype=str)
    )


class JobFilter:
    """A batch job's filter, evaluated once per input line."""

    def __init__(
        self,
        expression: FilterExpression,
        version: BatchVersion,
        items: Mapping[str, Sequence[Any]],
        users: Mapping[str, Mapping[str, Any]] | None,
    ) -> None:
        self.expression = expression
        self.version = version
        self.items = ItemMetadata(columns=items)
        self.item_columns = items
        self.users = users

    def item_record(self, item_id: str | None) -> dict[str, Any] | None:
        """The Items record of ``item_id`` (CurrentItem), or None when unknown."""
        if not item_id:
            return None
        codes = self.version.item_codes([item_id])
        if codes[0] < 0:
            return None
        return {column: values[codes[0]] for column, values in self.item_columns.items()}

    def mask(
        self, user_row: int, user_id: str | None, item_id: str | None, values: Mapping[str, str]
    ) -> np.ndarray:
        """The items the filter allows for one input line: bool (n_items,).

        Raises:
            InvalidInputException: a filter value is missing or cannot be parsed.

        """
        version = self.version
        events = version.users.events_of(user_row, version.item_ids) if user_id else []
        user = (self.users or {}).get(user_id) if user_id and self.users is not None else None
        return evaluate_filter(
            self.expression,
            item_ids=version.item_ids,
            items=self.items,
            user_events=events,
            user=user,
            current_item=self.item_record(item_id),
            filter_values=values,
        )


def load_job_filter(
    store: SqlMetadataStore,
    segments: SegmentStore,
    filter_arn: str,
    version: BatchVersion,
) -> JobFilter:
    """The job's filter with the item (and, for IF clauses, user) metadata it needs.

    Raises:
        InvalidInputException: the filter is gone or not ACTIVE.

    """
    found = store.get_resource(filter_arn)
    if found is None or found.kind != "filter":
        raise InvalidInputException(f"filterArn: filter {filter_arn} does not exist")
    if found.status != ACTIVE:
        raise InvalidInputException(f"filterArn: filter {filter_arn} is {found.status}")
    expression = parse_filter_expression(found.document["filterExpression"])
    datasets = group_datasets(store, version.dataset_group_arn)
    columns: dict[str, list[Any]] = {}
    if "ITEMS" in datasets:
        columns = items_by_code(items_table(store, segments, datasets["ITEMS"]), version)
    users = None
    if "USERS" in datasets and any(e.if_conditions for e in expression.expressions):
        users = records_by_id(store, segments, datasets["USERS"], "USER_ID")
    return JobFilter(expression, version, columns, users)


def items_by_code(items: pa.Table, version: BatchVersion) -> dict[str, list[Any]]:
    """Items columns as lists aligned with the model's item codes (None where unknown)."""
    codes = version.item_codes([str(item) for item in items["ITEM_ID"].to_pylist()])
    known = codes >= 0
    n_items = version.item_ids.shape[0]
    columns: dict[str, list[Any]] = {}
    for name in items.column_names:
        by_code = np.full(n_items, None, dtype=object)
        by_code[codes[known]] = np.asarray(items[name].to_pylist(), dtype=object)[known]
        columns[name] = by_code.tolist()
    return columns


def records_by_id(
    store: SqlMetadataStore, segments: SegmentStore, dataset_arn: str, id_field: str
) -> dict[str, dict[str, Any]]:
    """A Users/Items dataset's records by id: imported rows overlaid by streamed ones.

    Returns:
        id -> {column: value}.

    """
    records = {str(r[id_field]): r for r in read_dataset(store, segments, dataset_arn).to_pylist()}
    for row in read_streamed_records(store, dataset_arn).to_pylist():
        records[str(row[id_field])] = {**records.get(str(row[id_field]), {}), **row}
    return records
