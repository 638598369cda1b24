"""The ``batch-inference`` job: recommendations for every line of a JSON-lines input (spec §11.2).

The worker has set the job CREATE IN_PROGRESS. The job loads its solution version
(``batch_version``), reads each input file as a stream in batches of lines, answers each batch
with the functions GetRecommendations / GetPersonalizedRanking use, and writes
``<input file name>.out`` lines ``{"input": {...}, "output": {"recommendedItems": [...],
"scores": [...]}, "error": null}``. Then it sets the job ACTIVE with ``tailorLinesProcessed`` and
``tailorLineErrors``.

By recipe:

* User-Personalization (and the affinity-free personalization recipes): ``{"userId": ...}``;
  ``recommend`` over the user's history (history items left out), exploration from
  ``batchInferenceJobConfig.itemExplorationConfig`` for aws-user-personalization (AWS defaults
  0.3 / 30 days, as for a campaign); unknown users get popular items. Scores are spec §10.4's
  softmax over the whole catalogue (``recommend(..., normalised_scores=True)``).
* Personalized-Ranking: ``{"userId": ..., "itemList": [...]}`` (at most 500 items): ``rank``,
  scores the softmax over the list's known items (as GetPersonalizedRanking); unknown items last
  with a ``null`` score; items the filter removes are left out.
* SIMS / Similar-Items: ``{"itemId": ...}`` (and optionally ``userId`` for user filters):
  ``related``, no scores; unknown items get popular items.
* Popularity-Count: any line (``userId`` optional), ``recommend_popular``, no scores.

A line that cannot be answered (not JSON, a missing or ill-typed member, a bad ``filterValues``)
gets ``"output": null`` and an ``error`` naming the file and line; the job still succeeds, as AWS
counts such lines in the job's results (spec §11.2). The job fails (CREATE FAILED, every output
file written so far deleted) only when the input cannot be listed or read, the output cannot be
written, or the model or filter cannot be loaded; the reason names the path or resource.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from domain.errors import InvalidInputException, TailorError
from domain.resources import Job
from recipes.personalization import PersonalizationModel, rank, recommend
from recipes.popularity import PopularityModel, recommend_popular
from recipes.related_items import RelatedItemsModel, related
from recipes.score_normalization import input_list_softmax
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
    JobFilter,
    load_batch_version,
    load_job_filter,
    model_uri,
)

log = logging.getLogger(__name__)

DEFAULT_NUM_RESULTS = 25
MAX_ITEM_LIST = 500
RANKING_RECIPES = frozenset({"aws-personalized-ranking", "aws-personalized-ranking-v2"})
EXPLORING_RECIPES = frozenset({"aws-user-personalization"})
DEFAULT_EXPLORATION_WEIGHT = 0.3
DEFAULT_EXPLORATION_AGE_CUT_OFF = 30.0
#: Score-matrix cells per batch of lines (float32: 64 MiB); at most MAX_LINES_PER_BATCH lines.
BATCH_CELLS = 1 << 24
MAX_LINES_PER_BATCH = 1000


class BatchInferenceHandler(BatchJobHandler):
    """The handler of ``batch-inference`` jobs (a ``trainer.worker.JobHandler``)."""

    label = "batch inference job"

    def run_job(self, job: Job, store: SqlMetadataStore, document: dict[str, Any]) -> None:
        """Score every input line and write the output files."""
        model_uri(store, document["solutionVersionArn"])  # fail fast, before reading anything
        files = list_input_files(document["jobInput"]["s3DataSource"]["path"], self.s3_endpoint_url)
        version = load_batch_version(
            store, self.segment_store, self.artifact_store, document["solutionVersionArn"]
        )
        job_filter = None
        if document.get("filterArn"):
            job_filter = load_job_filter(store, self.segment_store, document["filterArn"], version)
        answer = _Answerer(version, job_filter, document)
        progress = self.answer_files(
            job,
            store,
            document,
            files,
            lambda file, outputs, progress: _answer_file(file, answer, outputs, progress),
        )
        log.info(
            "batch inference %s: %d lines (%d errors) from %d files",
            job.resource_arn,
            progress.lines,
            progress.errors,
            len(files),
        )


def _answer_file(
    file: InputFile, answer: _Answerer, outputs: OutputFiles, progress: JobProgress
) -> None:
    _, stream = outputs.open(file)
    with stream:
        batch: list[InputLine] = []
        for line in read_lines(file):
            batch.append(line)
            if len(batch) >= answer.lines_per_batch:
                _flush(file, batch, answer, stream, progress)
                batch = []
        _flush(file, batch, answer, stream, progress)


def _flush(
    file: InputFile,
    batch: list[InputLine],
    answer: _Answerer,
    stream: Any,
    progress: JobProgress,
) -> None:
    if not batch:
        return
    results = answer(file, batch)
    write_lines(stream, results)
    progress.add(len(results), sum(1 for r in results if r["error"] is not None))


class _Answerer:
    """Answers batches of input lines for one job."""

    def __init__(
        self, version: BatchVersion, job_filter: JobFilter | None, document: dict[str, Any]
    ) -> None:
        self.version = version
        self.filter = job_filter
        self.k = int(document.get("numResults") or DEFAULT_NUM_RESULTS)
        model = version.model
        self.recipe = model.recipe
        self.ranking = isinstance(model, PersonalizationModel) and self.recipe in RANKING_RECIPES
        n_items = max(1, version.item_ids.shape[0])
        self.lines_per_batch = max(1, min(MAX_LINES_PER_BATCH, BATCH_CELLS // n_items))
        config = (document.get("batchInferenceJobConfig") or {}).get("itemExplorationConfig")
        self.exploration = (0.0, DEFAULT_EXPLORATION_AGE_CUT_OFF)
        if self.recipe in EXPLORING_RECIPES:
            config = config or {}
            self.exploration = (
                float(config.get("explorationWeight", DEFAULT_EXPLORATION_WEIGHT)),
                float(config.get("explorationItemAgeCutOff", DEFAULT_EXPLORATION_AGE_CUT_OFF)),
            )

    def __call__(self, file: InputFile, lines: list[InputLine]) -> list[dict[str, Any]]:
        """One output line per input line, in order."""
        results: list[dict[str, Any] | None] = [None] * len(lines)
        good: list[int] = []
        requests: list[tuple[str | None, str | None, list[str] | None]] = []
        masks: list[np.ndarray | None] = []
        for position, line in enumerate(lines):
            try:
                if line.error is not None:
                    raise LineError(line.error)
                request = self._request(line)
                masks.append(self._mask(request, line))
            except LineError as exc:
                results[position] = error_line(file, line, str(exc))
                continue
            except InvalidInputException as exc:  # a filter value the filter cannot use
                results[position] = error_line(file, line, exc.message)
                continue
            good.append(position)
            requests.append(request)
        if good:
            mask = None if self.filter is None else np.stack(masks)
            for position, output in zip(good, self._outputs(requests, mask), strict=True):
                results[position] = answer_line(lines[position], output)
        return [r for r in results if r is not None]

    def _request(self, line: InputLine) -> tuple[str | None, str | None, list[str] | None]:
        """(userId, itemId, itemList) of a line, checked for the recipe."""
        user_id = optional_string(line, "userId")
        item_id = optional_string(line, "itemId")
        model = self.version.model
        item_list = None
        if isinstance(model, RelatedItemsModel) and item_id is None:
            raise LineError(f"itemId is required for a {self.recipe} solution version")
        if isinstance(model, PersonalizationModel) and user_id is None:
            raise LineError(f"userId is required for a {self.recipe} solution version")
        if self.ranking:
            item_list = line.value.get("itemList")
            if not isinstance(item_list, list) or not all(
                isinstance(item, str) for item in item_list
            ):
                raise LineError(f"itemList (a list of item ids) is required for {self.recipe}")
            if len(item_list) > MAX_ITEM_LIST:
                raise LineError(f"itemList has {len(item_list)} items; at most {MAX_ITEM_LIST}")
        return user_id, item_id, item_list

    def _mask(
        self, request: tuple[str | None, str | None, list[str] | None], line: InputLine
    ) -> np.ndarray | None:
        values = filter_values(line)
        if self.filter is None:
            return None
        user_id, item_id, _ = request
        row = int(self.version.users.rows_of([user_id])[0])
        return self.filter.mask(row, user_id, item_id, values)

    def _outputs(
        self,
        requests: list[tuple[str | None, str | None, list[str] | None]],
        mask: np.ndarray | None,
    ) -> list[dict[str, Any]]:
        version = self.version
        model = version.model
        rows = version.users.rows_of([user for user, _, _ in requests])
        if self.ranking:
            return [
                self._ranked(row, item_list or [], None if mask is None else mask[i])
                for i, (row, (_, _, item_list)) in enumerate(zip(rows, requests, strict=True))
            ]
        if isinstance(model, PersonalizationModel):
            weight, cut_off = self.exploration
            codes, scores = recommend(
                model,
                version.users.histories.rows(rows),
                self.k,
                exclude_history=True,
                candidate_mask=mask,
                exploration_weight=weight,
                exploration_item_age_cut_off=cut_off,
                normalised_scores=True,
            )
            return [self._listed(c, s) for c, s in zip(codes, scores, strict=True)]
        if isinstance(model, RelatedItemsModel):
            queries = version.item_codes([item or "" for _, item, _ in requests])
            codes, _ = related(model, queries, self.k, candidate_mask=mask)
        elif isinstance(model, PopularityModel):
            codes, _ = recommend_popular(model, self.k, n_rows=len(requests), candidate_mask=mask)
        else:  # pragma: no cover - the artifact format knows only these three
            raise TailorError(f"batch inference cannot score a {type(model).__name__}")
        return [self._listed(row, None) for row in codes]

    def _listed(self, codes: np.ndarray, scores: np.ndarray | None) -> dict[str, Any]:
        keep = codes >= 0
        output: dict[str, Any] = {
            "recommendedItems": [str(item) for item in self.version.item_ids[codes[keep]]]
        }
        if scores is not None:
            output["scores"] = [float(score) for score in scores[keep]]
        return output

    def _ranked(self, row: int, item_list: list[str], mask: np.ndarray | None) -> dict[str, Any]:
        version = self.version
        codes = version.item_codes(item_list)
        history = version.users.histories.rows(np.array([row]))
        order, scores = rank(version.model, history, codes)
        scores = input_list_softmax(codes[order], scores)  # spec §10.4, as GetPersonalizedRanking
        items, listed_scores = [], []
        for position, score in zip(order.tolist(), scores.tolist(), strict=True):
            code = int(codes[position])
            if mask is not None and code >= 0 and not mask[code]:
                continue
            items.append(item_list[position])
            listed_scores.append(float(score) if code >= 0 and np.isfinite(score) else None)
        return {"recommendedItems": items, "scores": listed_scores}
