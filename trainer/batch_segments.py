"""The ``batch-segment`` job: the users most likely to interact with items (spec §11.3).

The worker has set the job CREATE IN_PROGRESS. The job loads its USER_SEGMENTATION solution
version (``batch_version``: model and every user's history), reads each input file as a stream
and writes ``<input file name>.out`` lines ``{"input": {...}, "output": {"recommendedUsers":
[...]}, "error": null}`` with ``numResults`` users (default 25), best first. Then it sets the job
ACTIVE with ``tailorLinesProcessed`` and ``tailorLineErrors``.

* Item-Affinity lines ``{"itemId": "i1"}``: the query is that item.
* Item-Attribute-Affinity lines ``{"itemAttributes": "ITEMS.GENRES = <quoted value> AND ..."}``:
  the query is every item having all the attributes (``=`` is string equality with one value
  of a ``|``-separated categorical column; column names match case-insensitively, values
  exactly; textual columns and CREATION_TIMESTAMP cannot be queried).

A user's affinity for a query is ``recipes.segments``' sum of the model's core scores of the
query items from the user's history, and users who already interacted with a query item are
left out (``users_for_items``). It is computed here for a batch of lines at once: for each block
of :data:`USERS_PER_BLOCK` users, one score matrix over the union of the lines' items, then a
running top-k per line, so the users are scored once per batch of lines instead of once per line.

A line that cannot be answered (not JSON, no ``itemId``/``itemAttributes``, an item the model does
not know, attributes no item has) gets ``"output": null`` and an ``error`` naming the file and
line; the job still succeeds. A job filter (``INCLUDE/EXCLUDE UserID WHERE ...``) is applied per
line with the line's ``filterValues`` (``segment_filters``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import scipy.sparse as sp

from domain.errors import InvalidInputException, TailorError
from domain.resources import Job
from recipes.histories import history_matrix
from recipes.item_features import categorical_feature_matrix, items_with_features
from recipes.personalization_model import (
    PersonalizationModel,
    core_scores_for_items,
    weighted_history,
)
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from trainer.batch_io import (
    BatchJobHandler,
    InputFile,
    InputLine,
    JobProgress,
    LineError,
    OutputFiles,
    answer_line,
    error_line,
    filter_values,
    list_input_files,
    optional_string,
    read_lines,
    write_lines,
)
from trainer.batch_version import (
    BatchVersion,
    items_by_code,
    load_batch_version,
    model_uri,
)
from trainer.dataset_reader import dataset_schema
from trainer.item_data import items_table
from trainer.segment_filters import SegmentFilter, load_segment_filter
from trainer.training_data import group_datasets

log = logging.getLogger(__name__)

DEFAULT_NUM_RESULTS = 25
ATTRIBUTE_RECIPE = "aws-item-attribute-affinity"
USERS_PER_BLOCK = 1000
LINES_PER_BATCH = 100
_UNQUERYABLE = ("ITEM_ID", "CREATION_TIMESTAMP")
_CONDITION = re.compile(r'\s*ITEMS\.([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"\s*', re.IGNORECASE)
_AND = re.compile(r"AND\b", re.IGNORECASE)


class BatchSegmentHandler(BatchJobHandler):
    """The handler of ``batch-segment`` jobs (a ``trainer.worker.JobHandler``)."""

    label = "batch segment job"

    def run_job(self, job: Job, store: SqlMetadataStore, document: dict[str, Any]) -> None:
        """Score every input line and write the output files."""
        model_uri(store, document["solutionVersionArn"])  # fail fast, before reading anything
        files = list_input_files(document["jobInput"]["s3DataSource"]["path"], self.s3_endpoint_url)
        version = load_batch_version(
            store, self.segment_store, self.artifact_store, document["solutionVersionArn"]
        )
        if not isinstance(version.model, PersonalizationModel):
            raise TailorError(f"solutionVersionArn: {version.arn} is not a segmentation model")
        features = None
        if version.model.recipe == ATTRIBUTE_RECIPE:
            features = _item_features(store, self.segment_store, version)
        user_filter = None
        if document.get("filterArn"):
            user_filter = load_segment_filter(
                store,
                self.segment_store,
                document["filterArn"],
                version.users,
                version.dataset_group_arn,
            )
        segmenter = _Segmenter(version, features, user_filter, int(document.get("numResults") or 0))
        progress = self.answer_files(
            job,
            store,
            document,
            files,
            lambda file, outputs, progress: _segment_file(file, segmenter, outputs, progress),
        )
        log.info("batch segment %s: %d lines", job.resource_arn, progress.lines)


def _item_features(
    store: SqlMetadataStore, segments: SegmentStore, version: BatchVersion
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Multi-hot ``COLUMN=value`` features of the queryable Items columns, by item code."""
    items_arn = group_datasets(store, version.dataset_group_arn).get("ITEMS")
    if items_arn is None:
        raise TailorError(f"{ATTRIBUTE_RECIPE} needs an Items dataset in the dataset group")
    schema = dataset_schema(store, items_arn)
    columns = items_by_code(items_table(store, segments, items_arn), version)
    queryable = {
        f.name.upper(): columns[f.name]
        for f in schema.fields
        if not f.textual and f.name.upper() not in _UNQUERYABLE and f.name in columns
    }
    return categorical_feature_matrix(queryable, version.item_ids.shape[0])


def parse_item_attributes(text: str) -> list[str]:
    """``ITEMS.A = "x" AND ITEMS.B = "y"`` as feature names ``["A=x", "B=y"]``.

    Raises:
        LineError: the text is not such a conjunction.

    """
    wanted: list[str] = []
    position = 0
    while True:
        match = _CONDITION.match(text, position)
        if match is None:
            raise LineError(
                f"itemAttributes: cannot read {text[position:]!r} (position {position}); "
                'expected ITEMS.<column> = "<value>" joined by AND'
            )
        wanted.append(f"{match.group(1).upper()}={match.group(2)}")
        position = match.end()
        if position == len(text):
            return wanted
        joined = _AND.match(text, position)
        if joined is None:
            raise LineError(f"itemAttributes: expected AND at position {position} of {text!r}")
        position = joined.end()


def _segment_file(
    file: InputFile, segmenter: _Segmenter, outputs: OutputFiles, progress: JobProgress
) -> None:
    _, stream = outputs.open(file)
    with stream:
        batch: list[InputLine] = []
        for line in read_lines(file):
            batch.append(line)
            if len(batch) >= LINES_PER_BATCH:
                results = segmenter(file, batch)
                write_lines(stream, results)
                progress.add(len(results), sum(1 for r in results if r["error"] is not None))
                batch = []
        results = segmenter(file, batch)
        write_lines(stream, results)
        progress.add(len(results), sum(1 for r in results if r["error"] is not None))


class _Segmenter:
    """Answers batches of segment lines for one job."""

    def __init__(
        self,
        version: BatchVersion,
        features: tuple[sp.csr_matrix, np.ndarray] | None,
        user_filter: SegmentFilter | None,
        num_results: int,
    ) -> None:
        self.version = version
        self.features = features
        self.filter = user_filter
        self.k = num_results or DEFAULT_NUM_RESULTS

    def __call__(self, file: InputFile, lines: list[InputLine]) -> list[dict[str, Any]]:
        """One output line per input line, in order."""
        results: list[dict[str, Any] | None] = [None] * len(lines)
        good: list[int] = []
        queries: list[tuple[np.ndarray, np.ndarray | None]] = []
        for position, line in enumerate(lines):
            try:
                if line.error is not None:
                    raise LineError(line.error)
                query = self._query(line)
                values = filter_values(line)
                queries.append((query, None if self.filter is None else self.filter.mask(values)))
            except LineError as exc:
                results[position] = error_line(file, line, str(exc))
                continue
            except InvalidInputException as exc:  # a filter value the filter cannot use
                results[position] = error_line(file, line, exc.message)
                continue
            good.append(position)
        for position, users in zip(good, self._top_users(queries), strict=True):
            output = {"recommendedUsers": [str(u) for u in self.version.users.user_ids[users]]}
            results[position] = answer_line(lines[position], output)
        return [r for r in results if r is not None]

    def _query(self, line: InputLine) -> np.ndarray:
        """int64 (m,) item codes a line asks about."""
        if self.features is None:
            item_id = optional_string(line, "itemId")
            if item_id is None:
                raise LineError("itemId is required for an aws-item-affinity solution version")
            codes = self.version.item_codes([item_id])
            if codes[0] < 0:
                raise LineError(f"itemId {item_id!r} is not an item of the solution version")
            return codes
        text = optional_string(line, "itemAttributes")
        if text is None:
            raise LineError(f"itemAttributes is required for an {ATTRIBUTE_RECIPE} version")
        matrix, names = self.features
        codes = None
        for wanted in parse_item_attributes(text):
            having = items_with_features(matrix, names, [wanted]).astype(np.int64)
            codes = having if codes is None else np.intersect1d(codes, having)
        if codes is None or codes.size == 0:
            raise LineError(f"itemAttributes: no item has {text}")
        return codes

    def _top_users(self, queries: list[tuple[np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
        """The best users of each (item codes, allowed users or None) query.

        Returns:
            Per query, int64 user rows by descending affinity (ties: lower row first).

        """
        if not queries:
            return []
        model = self.version.model
        users = self.version.users
        union, inverse = np.unique(np.concatenate([q for q, _ in queries]), return_inverse=True)
        bounds = np.cumsum([0] + [q.shape[0] for q, _ in queries])
        columns = [inverse[bounds[j] : bounds[j + 1]] for j in range(len(queries))]
        kept = [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in queries]
        n_users = users.user_ids.shape[0]
        for start in range(0, n_users, USERS_PER_BLOCK):
            rows = np.arange(start, min(start + USERS_PER_BLOCK, n_users))
            histories = users.histories.rows(rows)
            scores = core_scores_for_items(model, weighted_history(model, histories), union)
            seen = history_matrix(histories, model.n_items)[:, union].toarray() > 0
            for j, cols in enumerate(columns):
                affinity = scores[:, cols].sum(axis=1, dtype=np.float32)
                affinity[seen[:, cols].any(axis=1)] = -np.inf
                allowed = queries[j][1]
                if allowed is not None:
                    affinity[~allowed[rows]] = -np.inf
                finite = np.isfinite(affinity)
                rows_j = np.concatenate([kept[j][0], rows[finite]])
                scores_j = np.concatenate([kept[j][1], affinity[finite]])
                if rows_j.shape[0] > self.k:
                    best = np.argpartition(-scores_j, self.k - 1)[: self.k]
                    rows_j, scores_j = rows_j[best], scores_j[best]
                kept[j] = (rows_j, scores_j)
        return [rows_j[np.lexsort((rows_j, -scores_j))] for rows_j, scores_j in kept]
