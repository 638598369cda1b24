"""Micro-batching: concurrent GetRecommendations of one model scored as one matrix product.

Scoring a user against 27,000 x 64 item factors alone is a matrix-vector product that reads the
whole factor matrix; scoring the users of every request in flight together reads it once
(measured: about half the cost per query in batches of 64). No request waits for a batch to fill:
the first request to arrive while nothing is being scored scores alone (a batch of one), and the
requests that arrive meanwhile queue; when a batch is done, its leader hands the lead to the
oldest queued request, which scores everything queued then as the next batch. Under light load
every batch holds one request; under heavy load batches grow to what arrived during one
scoring pass, up to ``max_batch``.

The results are those of ``recipes.personalization.recommend`` for each request alone: every
step of it works row by row (fold-in, normalisation, exclusion, top-k).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from recipes.interactions import Histories
from recipes.personalization import PersonalizationModel, recommend

DEFAULT_MAX_BATCH = 64


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class _Job:
    """One request's part of a batch."""

    model: PersonalizationModel
    history: Histories
    k: int
    candidate_mask: np.ndarray | None
    exploration: tuple[float, float]
    exclude_history: bool = True
    normalised_scores: bool = False
    # Held from creation; released once to wake the waiting caller. A bare lock, not an Event:
    # waking is on every request's path, and Event.set (a Condition, in Python) measured a
    # fifth of the serving process's GIL time under load.
    done: threading.Lock = field(default_factory=_held_lock)
    lead: bool = False
    codes: np.ndarray | None = None
    scores: np.ndarray | None = None
    error: BaseException | None = None


class ScoringBatcher:
    """Scores concurrent ``recommend`` calls together; safe to call from many threads."""

    def __init__(self, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        """Create a batcher scoring at most ``max_batch`` requests per matrix product."""
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Job] = []
        self._busy = False
        #: The most requests scored in one batch so far (tests, diagnostics).
        self.largest_batch = 0

    def recommend(
        self,
        model: PersonalizationModel,
        history: Histories,
        k: int,
        *,
        candidate_mask: np.ndarray | None = None,
        exploration_weight: float = 0.0,
        exploration_item_age_cut_off: float = 30.0,
        exclude_history: bool = True,
        normalised_scores: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """``recommend(model, history, k, ...)`` for one history.

        Args:
            model: The campaign's model.
            history: Exactly one history.
            k: Items wanted.
            candidate_mask: bool (n_items,) allowed items (a filter), or None.
            exploration_weight: ``explorationWeight`` (0 disables exploration).
            exploration_item_age_cut_off: ``explorationItemAgeCutOff`` in days.
            exclude_history: leave out the items of ``history`` (False: a recommender's use
                case excludes its own set, through ``candidate_mask``).
            normalised_scores: spec §10.4 scores (softmax over the whole catalogue) instead of
                the ranking score.

        Returns:
            ``(codes, scores)``: int32 (1, k) item codes padded with -1; float32 (1, k) scores
            (float64 probabilities when ``normalised_scores``) padded with NaN.

        """
        job = _Job(
            model,
            history,
            k,
            candidate_mask,
            (exploration_weight, exploration_item_age_cut_off),
            exclude_history,
            normalised_scores,
        )
        with self._lock:
            self._queue.append(job)
            job.lead = not self._busy
            self._busy = True
        if not job.lead:
            job.done.acquire()
        if job.lead:  # first in, or handed the lead by the previous batch's leader
            self._lead()
        if job.error is not None:
            raise job.error
        assert job.codes is not None and job.scores is not None
        return job.codes, job.scores

    def _lead(self) -> None:
        """Score one batch from the queue, then hand the lead on (or stand down)."""
        with self._lock:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
            self.largest_batch = max(self.largest_batch, len(batch))
        try:
            for group in _groups(batch):
                _score(group)
        finally:
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.release()
                else:
                    self._busy = False
            for job in batch:
                if not job.lead:  # the leader is not waiting (a successor was woken already)
                    job.done.release()


def _groups(batch: list[_Job]) -> list[list[_Job]]:
    """The jobs that can share one product: same model, exploration, exclusion and scores."""
    groups: dict[tuple[int, tuple[float, float], bool, bool], list[_Job]] = {}
    for job in batch:
        key = (id(job.model), job.exploration, job.exclude_history, job.normalised_scores)
        groups.setdefault(key, []).append(job)
    return list(groups.values())


def _score(group: list[_Job]) -> None:
    """Score ``group`` as one batch; every job gets its rows, or its own error."""
    try:
        model = group[0].model
        histories = _stack([job.history for job in group])
        masks = [job.candidate_mask for job in group]
        mask = None
        if any(m is not None for m in masks):
            mask = np.ones((len(group), model.n_items), bool)
            for row, m in enumerate(masks):
                if m is not None:
                    mask[row] = m
        weight, cut_off = group[0].exploration
        k = max(job.k for job in group)
        codes, scores = recommend(
            model,
            histories,
            k,
            exclude_history=group[0].exclude_history,
            candidate_mask=mask,
            exploration_weight=weight,
            exploration_item_age_cut_off=cut_off,
            normalised_scores=group[0].normalised_scores,
        )
        for row, job in enumerate(group):
            job.codes, job.scores = codes[row : row + 1, : job.k], scores[row : row + 1, : job.k]
    except Exception as exc:  # noqa: BLE001 - handed to the caller whose request fails
        if len(group) == 1:
            group[0].error = exc
            return
        for job in group:  # one bad request must not fail the others scored beside it
            _score([job])


def _stack(histories: list[Histories]) -> Histories:
    """One ``Histories`` holding the given single-row histories, in order."""
    if len(histories) == 1:
        return histories[0]
    lengths = np.array([h.item_codes.shape[0] for h in histories], np.int64)
    indptr = np.zeros(len(histories) + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return Histories(
        indptr,
        np.concatenate([h.item_codes for h in histories]),
        np.concatenate([h.timestamps for h in histories]),
    )
