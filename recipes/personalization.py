"""User-Personalization and Personalized-Ranking: fit, score from history, recommend, rank.

One model serves ``aws-user-personalization(-v2)``, ``aws-personalized-ranking(-v2)`` and the
affinity recipes. Its core is EASE (catalogues up to :data:`EASE_MAX_ITEMS` items) or implicit
ALS (larger ones); both score a user from their history alone, so events recorded after training
and users unseen in training are scored without retraining, and a user with no history gets the
popularity prior.

The model and its scores (``score_histories``) are in ``recipes.personalization_model`` and
re-exported here. ``recommend`` adds exploration, ``s = (1 - w) * s + w * freshness``, leaves
out the history (built once per call, cells only) and, on request, turns the scores into spec
§10.4's catalogue softmax; ``rank`` orders a caller's list. Each has a ``*_reference`` twin, the
code as first written (``recommend_reference`` in ``recipes.personalization_reference``), for
tests and benchmarks. ``hidden_dimension``
is the ALS latent dimension (EASE has none); ``bptt`` is the history half-life in events under
``recency_mask``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from recipes.als import factor_gram, fit_als_item_factors
from recipes.ease import fit_ease
from recipes.histories import Histories, history_matrix
from recipes.interactions import (
    Interactions,
    interaction_matrix,
    time_decay_weights,
    user_history_length_mask,
)
from recipes.metrics import LIST_LENGTH, EvaluationSplit, aws_split, ranking_metrics
from recipes.personalization_model import (
    EASE_MAX_ITEMS,
    PersonalizationModel,
    PersonalizationOptions,
    core_scores,
    core_scores_for_items,
    exploration_freshness,
    popularity_prior,
    prepare_serving,
    scale_rows_to_unit,
    score_cells,
    score_histories,
    score_histories_reference,
    serving_cache,
    weighted_cells,
    weighted_history,
)
from recipes.personalization_reference import recommend_reference
from recipes.score_normalization import log_normalisers, softmax_scores
from recipes.top_k import mask_scores, top_k_of_masked, top_k_rows

__all__ = [
    "EASE_MAX_ITEMS",
    "PRIOR_WEIGHT_GRID",
    "PersonalizationModel",
    "PersonalizationOptions",
    "core_scores",
    "core_scores_for_items",
    "exploration_freshness",
    "fit_personalization",
    "popularity_prior",
    "prepare_serving",
    "rank",
    "rank_reference",
    "recommend",
    "recommend_reference",
    "score_histories",
    "weighted_history",
]

_EMPTY = np.zeros((0, 0), np.float32)
#: Recent-popularity prior weights tried by the fit-time calibration (scores are scaled to 1).
PRIOR_WEIGHT_GRID = (0.0, 0.03, 0.1, 0.3, 1.0, 3.0)
_CALIBRATION_USERS = 2000
_CALIBRATION_BATCH = 256
_CALIBRATION_METRIC = "normalized_discounted_cumulative_gain_at_25"
_CALIBRATION_MARGIN = 0.05
#: Largest share of the fitted events the calibration may hold out and still have its core fit
#: kept as the model's (a refit on so few more events changes nothing measurable but costs a
#: whole fit); above it the core is refitted on every event.
CALIBRATION_REUSE_SHARE = 0.005


def _fit_core(
    events: Interactions, algorithm: str, hidden_dimension: int, options: PersonalizationOptions
) -> dict[str, np.ndarray]:
    """The EASE or ALS arrays fitted on ``events``."""
    matrix = interaction_matrix(events)
    if algorithm == "ease":
        weights = fit_ease(matrix, options.ease_l2)
        return {"item_weights": weights, "item_factors": _EMPTY, "item_gram": _EMPTY}
    factors = fit_als_item_factors(
        matrix,
        hidden_dimension,
        options.als_regularization,
        options.als_alpha,
        options.als_iterations,
        options.seed,
        options.num_threads,
    )
    return {"item_weights": _EMPTY, "item_factors": factors, "item_gram": factor_gram(factors)}


def _popularity(events: Interactions, half_life_fraction: float) -> dict[str, Any]:
    """Distinct-user and time-decayed popularity at the end of ``events``."""
    latest = int(events.timestamps.max()) if len(events) else 0
    earliest = int(events.timestamps.min()) if len(events) else 0
    half_life = max(1.0, (latest - earliest) * half_life_fraction)
    decayed = interaction_matrix(events, time_decay_weights(events.timestamps, latest, half_life))
    # The decayed matrix stores every (user, item) cell, so its column counts are distinct users.
    return {
        "item_popularity": np.bincount(decayed.indices, minlength=events.n_items).astype(
            np.float32
        ),
        "recent_popularity": np.asarray(decayed.sum(axis=0), np.float32).ravel(),
        "latest_timestamp": latest,
        "half_life": half_life,
    }


def _calibrate_prior_weight(model: PersonalizationModel, split: EvaluationSplit) -> float:
    """The prior weight of :data:`PRIOR_WEIGHT_GRID` with the best validation NDCG@25."""
    lists: dict[float, list[np.ndarray]] = {weight: [] for weight in PRIOR_WEIGHT_GRID}
    priors = {weight: popularity_prior(model, weight) for weight in PRIOR_WEIGHT_GRID}
    for start in range(0, split.test_histories.n_rows, _CALIBRATION_BATCH):
        rows = np.arange(start, min(start + _CALIBRATION_BATCH, split.test_histories.n_rows))
        histories = split.test_histories.rows(rows)
        core = scale_rows_to_unit(core_scores(model, weighted_history(model, histories)))
        seen = history_matrix(histories, model.n_items)
        for weight in PRIOR_WEIGHT_GRID:
            lists[weight].append(top_k_rows(core + priors[weight], LIST_LENGTH, seen)[0])
    quality = {
        weight: ranking_metrics(np.concatenate(parts), split.test_relevant, model.n_items)[
            _CALIBRATION_METRIC
        ]
        for weight, parts in lists.items()
    }
    best = max(PRIOR_WEIGHT_GRID, key=lambda weight: (quality[weight], -weight))
    # Picking the best of six on a small validation set wins a few percent by chance alone.
    return best if quality[best] >= quality[0.0] * (1.0 + _CALIBRATION_MARGIN) else 0.0


def _calibrate(
    kept: Interactions,
    eligible: int,
    recipe: str,
    algorithm: str,
    hyperparameters: dict[str, Any],
    first_seen: np.ndarray,
    options: PersonalizationOptions,
) -> dict[str, np.ndarray] | None:
    """Calibrate the prior weight into ``hyperparameters`` (see :func:`fit_personalization`).

    Returns:
        The calibration's core when it may serve as the model's, else None. (A function of its
        own so that the split and the event copies are freed before a refit.)

    """
    fraction = min(0.1, _CALIBRATION_USERS / eligible)
    split = aws_split(kept, test_user_fraction=fraction, seed=options.seed)
    core_events = kept.select(~split.held_out_events)
    before = _popularity(core_events, options.popularity_half_life_fraction)
    del before["half_life"]
    hidden_dimension = hyperparameters["hidden_dimension"]
    trial_core = _fit_core(core_events, algorithm, hidden_dimension, options)
    del core_events
    trial = PersonalizationModel(
        recipe, algorithm, hyperparameters, **trial_core, **before, item_first_seen=first_seen
    )
    hyperparameters["recent_popularity_weight"] = _calibrate_prior_weight(trial, split)
    hyperparameters["recent_popularity_weight_calibrated"] = True
    held_out = int(np.count_nonzero(split.held_out_events))
    if held_out > CALIBRATION_REUSE_SHARE * len(kept):
        return None
    hyperparameters["core_held_out_events"] = held_out
    return trial_core


def fit_personalization(
    interactions: Interactions,
    *,
    recipe: str = "aws-user-personalization",
    hidden_dimension: int = 149,
    bptt: int = 32,
    recency_mask: bool = True,
    min_user_history_length_percentile: float = 0.0,
    max_user_history_length_percentile: float = 0.99,
    item_creation_timestamps: np.ndarray | None = None,
    options: PersonalizationOptions | None = None,
) -> PersonalizationModel:
    """Fit a personalization model.

    Under ``recency_mask`` with ``options.recent_popularity_weight`` None, the prior weight is
    calibrated: the newest 10% of events of up to :data:`_CALIBRATION_USERS` training users are
    held out of the core fit, and the weight of :data:`PRIOR_WEIGHT_GRID` that ranks them best
    (NDCG@25, ties to the smaller weight) is kept if it beats weight 0 by at least 5%, else 0
    (a smaller gain is within the noise of the choice). When those held-out events are at most
    :data:`CALIBRATION_REUSE_SHARE` of the fitted events (any large dataset: at most 2,000
    users' newest tenth), the calibration's core is the model's core; otherwise (small data,
    where a fit is cheap) the core is refitted on every event. The held-out events still count
    in the popularity statistics, and serving folds in each user's whole history, so those
    users' newest events still shape their recommendations.

    Args:
        interactions: training events (weights: event-type/value weights, 1.0 by default).
        recipe: recipe name, recorded in the model.
        hidden_dimension: ALS latent dimension.
        bptt: history half-life in events under ``recency_mask``.
        recency_mask: weigh recent history more and blend in recent popularity.
        min_user_history_length_percentile: drop users with shorter histories from the fit.
        max_user_history_length_percentile: drop users with longer histories from the fit.
        item_creation_timestamps: int64 (n_items,) item creation times (negative = unknown), for
            exploration; None uses first interaction times.
        options: Tailor's own knobs; None uses the defaults.

    Returns:
        The fitted model.

    Raises:
        ValueError: ``options.algorithm`` is unknown.

    """
    options = options or PersonalizationOptions()
    algorithm = options.algorithm
    if algorithm == "auto":
        algorithm = "ease" if interactions.n_items <= EASE_MAX_ITEMS else "als"
    if algorithm not in ("ease", "als"):
        raise ValueError(f"unknown personalization algorithm {options.algorithm!r}")
    kept = interactions.select(
        user_history_length_mask(
            interactions, min_user_history_length_percentile, max_user_history_length_percentile
        )
    )
    popularity = _popularity(interactions, options.popularity_half_life_fraction)
    first_seen = np.full(interactions.n_items, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first_seen, interactions.item_codes, interactions.timestamps)
    if item_creation_timestamps is not None:
        created = np.asarray(item_creation_timestamps, np.int64)
        first_seen = np.where(created >= 0, created, first_seen)
    hyperparameters = {
        "hidden_dimension": int(hidden_dimension),
        "bptt": int(bptt),
        "recency_mask": bool(recency_mask),
        "min_user_history_length_percentile": float(min_user_history_length_percentile),
        "max_user_history_length_percentile": float(max_user_history_length_percentile),
        "ease_l2": float(options.ease_l2),
        "als_regularization": float(options.als_regularization),
        "als_alpha": float(options.als_alpha),
        "als_iterations": int(options.als_iterations),
        "recent_popularity_weight": options.recent_popularity_weight,
        "recent_popularity_weight_calibrated": False,
        "popularity_half_life_seconds": float(popularity["half_life"]),
        "core_held_out_events": 0,
    }
    eligible = int(np.count_nonzero(np.bincount(kept.user_codes) >= 2)) if len(kept) else 0
    core: dict[str, np.ndarray] | None = None
    if recency_mask and options.recent_popularity_weight is None and eligible:
        core = _calibrate(kept, eligible, recipe, algorithm, hyperparameters, first_seen, options)
    elif hyperparameters["recent_popularity_weight"] is None:  # nothing to calibrate on
        hyperparameters["recent_popularity_weight"] = 0.0
    if core is None:
        core = _fit_core(kept, algorithm, hidden_dimension, options)
    del popularity["half_life"]
    return PersonalizationModel(
        recipe, algorithm, hyperparameters, **core, **popularity, item_first_seen=first_seen
    )


def recommend(
    model: PersonalizationModel,
    histories: Histories,
    k: int,
    *,
    exclude_history: bool = True,
    candidate_mask: np.ndarray | None = None,
    exploration_weight: float = 0.0,
    exploration_item_age_cut_off: float = 30.0,
    normalised_scores: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k items for each history (GetRecommendations, batch inference, evaluation).

    With ``normalised_scores`` the scores are spec §10.4's: ``exp(s_i - logsumexp_j s_j)``, the
    softmax over the whole catalogue of the score ``s`` the ranking used (core plus popularity
    and recency prior, blended with freshness when exploring), so they keep the returned order.
    The normaliser is taken over every item before history exclusion and the candidate mask:
    the model's distribution over the catalogue, not over what is left.

    Args:
        model: a fitted model.
        histories: b histories; an empty one gets the popularity prior's order.
        k: items per history.
        exclude_history: leave out items already in the history.
        candidate_mask: bool (n_items,) or (b, n_items) of allowed items (filters), or None.
        exploration_weight: ``explorationWeight`` in [0, 1]; 0 disables exploration.
        exploration_item_age_cut_off: ``explorationItemAgeCutOff`` in days.
        normalised_scores: return softmax probabilities (in [0, 1]) instead of ranking scores.

    Returns:
        ``(codes, scores)``: int32 (b, k) item codes padded with -1; float32 (b, k) ranking
        scores, or float64 (b, k) probabilities when ``normalised_scores``; NaN padding.

    """
    history = weighted_cells(model, histories)
    scores = score_cells(model, history)
    if exploration_weight > 0:
        scores *= 1.0 - exploration_weight
        scores += _weighted_freshness(model, exploration_weight, exploration_item_age_cut_off)
    # Every score is still finite here; exclusion and masks below write -inf into ``scores``.
    normalisers = log_normalisers(scores) if normalised_scores else None
    if exclude_history and history.indices.size:
        # The weighted history holds the same cells as the unweighted one: its items.
        if history.shape[0] == 1:
            scores[0, history.indices] = -np.inf
        else:
            rows = np.repeat(np.arange(history.shape[0]), np.diff(history.indptr))
            scores[rows, history.indices] = -np.inf
    codes, top_scores = top_k_of_masked(mask_scores(scores, None, candidate_mask), k)
    if normalisers is None:
        return codes, top_scores
    return codes, softmax_scores(top_scores, normalisers)


def _weighted_freshness(model: PersonalizationModel, weight: float, cut_off: float) -> np.ndarray:
    """``weight * exploration_freshness(model, cut_off)``: float32 (n_items,), cached, read only."""
    return serving_cache(
        model,
        ("weighted_freshness", weight, cut_off),
        lambda: weight * exploration_freshness(model, cut_off),
    )


def rank(
    model: PersonalizationModel, history: Histories, candidate_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Order a caller's item list for one user (GetPersonalizedRanking).

    Args:
        model: a fitted model.
        history: exactly one history.
        candidate_codes: int (c,) item codes of the input list; -1 for items the model does not
            know.

    Returns:
        ``(order, scores)``: int64 (c,) positions into ``candidate_codes``, best first, unknown
        items last in input order; float32 (c,) their scores, NaN for unknown items.

    Raises:
        ValueError: ``history`` does not hold exactly one row.

    """
    if history.n_rows != 1:
        raise ValueError(f"rank scores one history, got {history.n_rows}")
    codes = np.asarray(candidate_codes, np.int64)
    known = (codes >= 0) & (codes < model.n_items)
    return _order_candidates(score_histories(model, history)[0], codes, known)


def rank_reference(
    model: PersonalizationModel, history: Histories, candidate_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`rank` scored by ``score_histories_reference``, for tests and benchmarks."""
    codes = np.asarray(candidate_codes, np.int64)
    known = (codes >= 0) & (codes < model.n_items)
    return _order_candidates(score_histories_reference(model, history)[0], codes, known)


def _order_candidates(
    row: np.ndarray, codes: np.ndarray, known: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`rank`'s answer from the float32 (n_items,) scores of every item."""
    candidate_scores = np.full(codes.shape[0], np.nan, np.float32)
    candidate_scores[known] = row[codes[known]]
    known_positions = np.flatnonzero(known)
    ordered = known_positions[np.argsort(-candidate_scores[known_positions], kind="stable")]
    order = np.concatenate([ordered, np.flatnonzero(~known)])
    return order, candidate_scores[order]
