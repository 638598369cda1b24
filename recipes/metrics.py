"""The AWS evaluation split and the GetSolutionMetrics metric keys (spec §7), over plain arrays.

Split: a share of users (with at least two events) are test users. Each test user's events,
oldest first, are cut into the oldest 90% (fed as history, the way the runtime feeds recorded
events) and the newest 10% (the relevant items). ``recipes.evaluation`` scores models on it;
``recipes.personalization`` also uses it, on training users only, to calibrate its recency prior.

Metrics (K in 5, 10, 25; natural log, the base cancels): precision@K = hits in the top K / K;
NDCG@K = sum over hits at rank r of 1/log(1 + r), divided by the same sum for ranks 1..min(K,
relevant); MRR@25 = 1 / rank of the first hit in the top 25, else 0; all averaged over test users
with at least one relevant item. Coverage = distinct items in all top-25 lists / catalogue size.

Keys AWS adds for a solution's configuration (:func:`objective_metrics`, K = 25, the list
length; the spec names them ``..._at_k`` without saying which K):

* ``normalized_discounted_cumulative_gain_with_event_weights_at_k`` (``eventsConfig``): NDCG@25
  where a relevant item's gain is its event weight (the largest weight among the user's held-out
  events of that item) and the ideal list orders the relevant items by weight. Only the weights'
  ratios matter. Users whose relevant items all weigh 0 are not counted.
* ``average_rewards_at_k`` (``optimizationObjective``): per user, the reward (the objective
  column, negative or missing read as 0) of the relevant items in the top 25, divided by the
  largest reward 25 recommendations could have collected (the user's min(25, relevant) most
  rewarding relevant items), so 1.0 is reachable; averaged over users with a positive ideal.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recipes.histories import Histories, history_matrix
from recipes.interactions import Interactions

CUTOFFS = (5, 10, 25)
METRIC_KEYS = (
    "coverage",
    "mean_reciprocal_rank_at_25",
    *(f"normalized_discounted_cumulative_gain_at_{k}" for k in CUTOFFS),
    *(f"precision_at_{k}" for k in CUTOFFS),
)
LIST_LENGTH = 25
EVENT_WEIGHTED_NDCG_KEY = "normalized_discounted_cumulative_gain_with_event_weights_at_k"
AVERAGE_REWARDS_KEY = "average_rewards_at_k"


@dataclass(frozen=True)
class EvaluationSplit:
    """A train / test split by users.

    ``train`` (the training users' events) is built on first use and then kept: the prior
    calibration and the evaluation read only the test lists, and a copy of the training events
    costs as much memory as the input.

    Attributes:
        interactions: the events that were split (a reference, not a copy).
        test_user_codes: int32 (t,) the test users.
        test_histories: t histories: each test user's oldest events.
        test_relevant: t rows of item codes: each test user's newest events' items, minus items
            already in the history (they are excluded from recommendations).
        held_out_events: bool (n,) over the split's input events: the test users' newest
            events (what ``test_relevant`` comes from).
        test_relevant_weights: float32 (nnz,) parallel to ``test_relevant.item_codes``: the
            largest event weight among the user's held-out events of that item; None means all
            1.0.

    """

    interactions: Interactions
    test_user_codes: np.ndarray
    test_histories: Histories
    test_relevant: Histories
    held_out_events: np.ndarray
    test_relevant_weights: np.ndarray | None = None

    @functools.cached_property
    def train(self) -> Interactions:
        """Events of the training users only (all code spaces unchanged), built once."""
        is_test = np.zeros(self.interactions.n_users, bool)
        is_test[self.test_user_codes] = True
        return self.interactions.select(~is_test[self.interactions.user_codes])


def aws_split(
    interactions: Interactions,
    *,
    test_user_fraction: float = 0.1,
    holdout_fraction: float = 0.1,
    seed: int = 0,
) -> EvaluationSplit:
    """Split by users, then each test user by time (seeded, deterministic).

    Args:
        interactions: all events.
        test_user_fraction: share of eligible users (>= 2 events) held out, at least one.
        holdout_fraction: share of each test user's newest events that are relevant (at least
            one, and at least one event stays as history).
        seed: random seed choosing the test users.

    Returns:
        The split.

    """
    counts = np.bincount(interactions.user_codes, minlength=interactions.n_users)
    eligible = np.flatnonzero(counts >= 2)
    n_test = min(eligible.size, max(1, int(round(test_user_fraction * eligible.size))))
    chosen = np.sort(np.random.default_rng(seed).permutation(eligible)[:n_test]).astype(np.int32)
    is_test = np.zeros(interactions.n_users, bool)
    is_test[chosen] = True
    test_events = is_test[interactions.user_codes]
    order = np.flatnonzero(test_events)
    order = order[np.lexsort((interactions.timestamps[order], interactions.user_codes[order]))]
    lengths = counts[chosen]
    n_relevant = np.clip(np.rint(holdout_fraction * lengths).astype(np.int64), 1, lengths - 1)
    starts = np.cumsum(lengths) - lengths
    position = np.arange(order.size) - np.repeat(starts, lengths)
    is_relevant = position >= np.repeat(lengths - n_relevant, lengths)
    history_idx, relevant_idx = order[~is_relevant], order[is_relevant]
    held_out = np.zeros(len(interactions), bool)
    held_out[relevant_idx] = True
    histories = Histories(
        np.r_[0, np.cumsum(lengths - n_relevant)].astype(np.int64),
        interactions.item_codes[history_idx],
        interactions.timestamps[history_idx],
    )
    relevant_rows = np.repeat(np.arange(n_test), n_relevant)
    relevant_codes = interactions.item_codes[relevant_idx]
    seen = history_matrix(histories, interactions.n_items)
    fresh = np.ones(relevant_rows.size, bool)
    if relevant_rows.size:
        fresh = np.asarray(seen[relevant_rows, relevant_codes]).ravel() == 0
    key = relevant_rows[fresh].astype(np.int64) * interactions.n_items + relevant_codes[fresh]
    weights = interactions.weights[relevant_idx][fresh]
    order = np.lexsort((-weights, key))
    key, weights = key[order], weights[order]
    first = np.r_[True, key[1:] != key[:-1]] if key.size else np.zeros(0, bool)
    key, weights = key[first], weights[first]  # each (user, item) with its largest weight
    relevant_indptr = np.zeros(n_test + 1, np.int64)
    np.cumsum(np.bincount(key // interactions.n_items, minlength=n_test), out=relevant_indptr[1:])
    relevant = Histories(
        relevant_indptr,
        (key % interactions.n_items).astype(np.int32),
        np.zeros(key.size, np.int64),
    )
    return EvaluationSplit(
        interactions,
        chosen,
        histories,
        relevant,
        held_out,
        weights.astype(np.float32),
    )


def ranking_metrics(recommended: np.ndarray, relevant: Histories, n_catalog: int) -> dict:
    """The AWS metric keys for top-25 lists.

    Args:
        recommended: int32 (t, >= 25) item codes per test user, best first, -1 padded.
        relevant: t rows of relevant item codes.
        n_catalog: catalogue size (denominator of coverage).

    Returns:
        ``{key: float}`` for every key of :data:`METRIC_KEYS`.

    """
    lists = np.asarray(recommended)[:, :LIST_LENGTH]
    n_rows = lists.shape[0]
    n_relevant = np.diff(relevant.indptr)
    base = np.int64(n_catalog + 1)
    relevant_keys = np.repeat(np.arange(n_rows, dtype=np.int64), n_relevant) * base
    relevant_keys += relevant.item_codes
    list_keys = np.arange(n_rows, dtype=np.int64)[:, np.newaxis] * base + lists
    hits = np.isin(list_keys, relevant_keys) & (lists >= 0)
    scored = n_relevant > 0
    discounts = 1.0 / np.log1p(np.arange(1, LIST_LENGTH + 1))
    metrics: dict[str, float] = {}
    valid = lists[lists >= 0]
    metrics["coverage"] = float(np.unique(valid).size / n_catalog) if n_catalog else 0.0
    first_hit = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
    reciprocal = np.divide(1.0, first_hit, out=np.zeros(n_rows), where=first_hit > 0)
    metrics["mean_reciprocal_rank_at_25"] = _mean(reciprocal, scored)
    ideal_cumulative = np.cumsum(discounts)
    for k in CUTOFFS:
        dcg = (hits[:, :k] * discounts[:k]).sum(axis=1)
        ideal = ideal_cumulative[np.clip(np.minimum(n_relevant, k), 1, None) - 1]
        metrics[f"normalized_discounted_cumulative_gain_at_{k}"] = _mean(dcg / ideal, scored)
    for k in CUTOFFS:
        metrics[f"precision_at_{k}"] = _mean(hits[:, :k].sum(axis=1) / k, scored)
    return {key: metrics[key] for key in METRIC_KEYS}


def _mean(values: np.ndarray, rows: np.ndarray) -> float:
    return float(values[rows].mean()) if rows.any() else 0.0


def ranking_metrics_reference(recommended: np.ndarray, relevant: Histories, n_catalog: int) -> dict:
    """Slow, obviously correct :func:`ranking_metrics` (a loop per user), for tests."""
    sums = dict.fromkeys(METRIC_KEYS, 0.0)
    users = 0
    shown: set[int] = set()
    for row in range(len(recommended)):
        ranked = [int(c) for c in recommended[row][:LIST_LENGTH]]
        shown.update(c for c in ranked if c >= 0)
        wanted = set(relevant.row(row).tolist())
        if not wanted:
            continue
        users += 1
        ranks = [r for r, code in enumerate(ranked, start=1) if code in wanted]
        sums["mean_reciprocal_rank_at_25"] += 1.0 / ranks[0] if ranks else 0.0
        for k in CUTOFFS:
            dcg = sum(1.0 / np.log(1 + r) for r in ranks if r <= k)
            ideal = sum(1.0 / np.log(1 + r) for r in range(1, min(k, len(wanted)) + 1))
            sums[f"normalized_discounted_cumulative_gain_at_{k}"] += dcg / ideal
            sums[f"precision_at_{k}"] += sum(1 for r in ranks if r <= k) / k
    result = {key: value / users if users else 0.0 for key, value in sums.items()}
    result["coverage"] = len(shown) / n_catalog if n_catalog else 0.0
    return result


def objective_metrics(
    recommended: np.ndarray,
    split: EvaluationSplit,
    item_rewards: np.ndarray | None = None,
    event_weighted: bool = False,
) -> dict[str, float]:
    """The keys a solution's ``eventsConfig`` / ``optimizationObjective`` add (module docstring).

    Args:
        recommended: int32 (t, >= 25) item codes per test user of ``split``, best first, -1
            padded (``evaluation.recommend_for_evaluation``).
        split: the split the lists answer.
        item_rewards: float (n_items,) the objective column by item code (NaN = missing), or
            None without an ``optimizationObjective``.
        event_weighted: whether the solution has an ``eventsConfig``.

    Returns:
        ``{key: float}`` with :data:`EVENT_WEIGHTED_NDCG_KEY` when ``event_weighted`` and
        :data:`AVERAGE_REWARDS_KEY` when ``item_rewards`` is given; empty otherwise.

    """
    relevant = split.test_relevant
    metrics: dict[str, float] = {}
    if event_weighted:
        weights = split.test_relevant_weights
        if weights is None:
            weights = np.ones(relevant.item_codes.shape[0], np.float32)
        metrics[EVENT_WEIGHTED_NDCG_KEY] = _weighted_ndcg(recommended, relevant, weights)
    if item_rewards is not None:
        rewards = np.nan_to_num(np.asarray(item_rewards, np.float64), nan=0.0)
        metrics[AVERAGE_REWARDS_KEY] = _reward_share(recommended, relevant, np.maximum(rewards, 0))
    return metrics


def _gain_matrices(
    recommended: np.ndarray, relevant: Histories, gains: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The gains collected by each list and by the ideal list.

    Args:
        recommended: int (t, >= 25) item codes, -1 padded.
        relevant: t rows of relevant item codes (distinct within a row).
        gains: float (nnz,) parallel to ``relevant.item_codes``.

    Returns:
        ``(got, ideal)``, float64 (t, 25): the gain of the item at each rank (0 when not
        relevant), and each row's relevant gains in descending order (0 past its end).

    """
    lists = np.asarray(recommended)[:, :LIST_LENGTH]
    n_rows = lists.shape[0]
    gains = np.asarray(gains, np.float64)
    lengths = np.diff(relevant.indptr)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    n_columns = int(max(lists.max(initial=0), relevant.item_codes.max(initial=0))) + 1
    by_cell = sp.csr_matrix((gains, (rows, relevant.item_codes)), shape=(n_rows, n_columns))
    cells = by_cell[np.arange(n_rows)[:, np.newaxis], np.maximum(lists, 0)]
    got = np.where(lists >= 0, cells.toarray(), 0.0)
    order = np.lexsort((-gains, rows))
    rank = np.arange(rows.size) - np.repeat(relevant.indptr[:-1], lengths)
    shown = rank < LIST_LENGTH
    ideal = np.zeros((n_rows, LIST_LENGTH))
    ideal[rows[order][shown], rank[shown]] = gains[order][shown]
    return got, ideal


def _weighted_ndcg(recommended: np.ndarray, relevant: Histories, weights: np.ndarray) -> float:
    got, ideal = _gain_matrices(recommended, relevant, weights)
    discounts = 1.0 / np.log1p(np.arange(1, LIST_LENGTH + 1))
    dcg = (got * discounts[: got.shape[1]]).sum(axis=1)
    best = (ideal * discounts).sum(axis=1)
    counted = best > 0
    return float((dcg[counted] / best[counted]).mean()) if counted.any() else 0.0


def _reward_share(recommended: np.ndarray, relevant: Histories, rewards: np.ndarray) -> float:
    gains = rewards[relevant.item_codes] if relevant.item_codes.size else np.zeros(0)
    got, ideal = _gain_matrices(recommended, relevant, gains)
    collected, best = got.sum(axis=1), ideal.sum(axis=1)
    counted = best > 0
    return float((collected[counted] / best[counted]).mean()) if counted.any() else 0.0


def objective_metrics_reference(
    recommended: np.ndarray,
    relevant: Histories,
    relevant_weights: np.ndarray,
    item_rewards: np.ndarray,
) -> dict[str, float]:
    """Slow, obviously correct :func:`objective_metrics` (a loop per user), for tests."""
    ndcgs, shares = [], []
    for row in range(relevant.n_rows):
        start, end = relevant.indptr[row], relevant.indptr[row + 1]
        weight_of = dict(
            zip(relevant.row(row).tolist(), relevant_weights[start:end].tolist(), strict=True)
        )
        reward_of = {c: max(0.0, float(np.nan_to_num(item_rewards[c]))) for c in weight_of}
        ranked = [int(c) for c in recommended[row][:LIST_LENGTH]]
        ideal_weights = sorted(weight_of.values(), reverse=True)[:LIST_LENGTH]
        best = sum(w / np.log(1 + r) for r, w in enumerate(ideal_weights, start=1))
        if best > 0:
            dcg = sum(weight_of.get(c, 0.0) / np.log(1 + r) for r, c in enumerate(ranked, 1))
            ndcgs.append(dcg / best)
        most = sum(sorted(reward_of.values(), reverse=True)[:LIST_LENGTH])
        if most > 0:
            shares.append(sum(reward_of.get(c, 0.0) for c in ranked) / most)
    return {
        EVENT_WEIGHTED_NDCG_KEY: float(np.mean(ndcgs)) if ndcgs else 0.0,
        AVERAGE_REWARDS_KEY: float(np.mean(shares)) if shares else 0.0,
    }
