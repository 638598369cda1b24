"""Per-call cost of the personalization recipe's ``recommend`` and ``rank``, fast path vs reference.

Synthetic models: ALS with 27,000 items x 64 factors (MovieLens-20M sized, recency mask and a
recent-popularity prior) and EASE with 5,000 items. Each case is timed for batches of 1, 8 and 64
histories of 20 events: ``recommend`` (k=25) with exploration on, without and with a candidate
mask (80% of items allowed), with spec §10.4 softmax scores (``normalised_scores=True``; its
column "softmax us" is what the scores add per user over the same call without them), and
``rank`` of 100 items (one history per call). The reference is
``recommend_reference``/``rank_reference``, the code as first written (two history builds per
call, nothing cached per model), run on the model as loaded (row-major factors) and, for the
column "ref col-major", on the column-major copy of the factors the runtime made before (what
serving ran). All paths are timed interleaved in the same run, BLAS at one thread as in serving,
so their ratios hold on a noisy machine.

Run under ``flock /tmp/tailor-bench.lock``. Writes bench/results/recipe_scoring.json and prints a
table (median microseconds per user).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recipes.histories import Histories
from recipes.interactions import histories_from_lists  # noqa: E402
from recipes.personalization import (  # noqa: E402
    PersonalizationModel,
    rank,
    rank_reference,
    recommend,
    recommend_reference,
)

RESULTS = Path(__file__).resolve().parent / "results" / "recipe_scoring.json"
T0 = 1_700_000_000
DAY = 86_400
HISTORY_LENGTH = 20
BATCHES = (1, 8, 64)
ROUNDS = 7
TARGET_SECONDS_PER_ROUND = 0.15


def _hyperparameters() -> dict[str, Any]:
    return {
        "hidden_dimension": 64,
        "bptt": 32,
        "recency_mask": True,
        "ease_l2": 300.0,
        "als_regularization": 20.0,
        "als_alpha": 1.0,
        "recent_popularity_weight": 0.05,
    }


def synthetic_model(algorithm: str, n_items: int, seed: int = 0) -> PersonalizationModel:
    """An ALS (27k x 64 planted genres) or EASE (random sparse-ish weights) model."""
    rng = np.random.default_rng(seed)
    popularity = rng.pareto(1.2, n_items).astype(np.float32) + 1
    empty = np.zeros((0, 0), np.float32)
    if algorithm == "als":
        centres = rng.normal(0, 1, (20, 64)).astype(np.float32)
        factors = centres[np.arange(n_items) % 20] + 0.3 * rng.normal(0, 1, (n_items, 64))
        factors = factors.astype(np.float32)
        weights, gram = empty, (factors.T @ factors).astype(np.float32)
    else:
        weights = (rng.normal(0, 0.01, (n_items, n_items))).astype(np.float32)
        np.fill_diagonal(weights, 0.0)
        factors, gram = empty, empty
    return PersonalizationModel(
        recipe="aws-user-personalization",
        algorithm=algorithm,
        hyperparameters=_hyperparameters(),
        item_weights=weights,
        item_factors=factors,
        item_gram=gram,
        item_popularity=popularity,
        recent_popularity=(popularity * rng.random(n_items)).astype(np.float32),
        item_first_seen=rng.integers(T0 - 60 * DAY, T0, n_items),
        latest_timestamp=T0,
    )


def _histories(rng: np.random.Generator, n_items: int, batch: int) -> Histories:
    return histories_from_lists(
        [rng.integers(0, n_items, HISTORY_LENGTH) for _ in range(batch)],
        [np.sort(rng.integers(T0 - DAY, T0, HISTORY_LENGTH)) for _ in range(batch)],
    )


def _median_us_per_user(calls: dict[str, Callable[[], Any]], users: int) -> dict[str, float]:
    """Median over interleaved rounds of each call's microseconds per user."""
    for call in calls.values():  # warm: caches, page faults
        call()
    reps = {}
    for name, call in calls.items():
        start = time.perf_counter()
        call()
        reps[name] = max(3, int(TARGET_SECONDS_PER_ROUND / max(time.perf_counter() - start, 1e-6)))
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(reps[name]):
                call()
            samples[name].append((time.perf_counter() - start) / reps[name] / users * 1e6)
    return {name: float(np.median(values)) for name, values in samples.items()}


def _check_same(
    fast: tuple[np.ndarray, ...], reference: tuple[np.ndarray, ...], atol: float = 1e-6
) -> None:
    """The fast path's answer equals the reference's (codes; scores to float tolerance)."""
    np.testing.assert_array_equal(fast[0], reference[0])
    np.testing.assert_allclose(fast[1], reference[1], rtol=1e-5, atol=atol)


def measure(model: PersonalizationModel, label: str, seed: int = 1) -> list[dict[str, Any]]:
    """Every case for one model: a list of rows (case, batch, fast_us, reference_us, speedup)."""
    rng = np.random.default_rng(seed)
    mask = rng.random(model.n_items) < 0.8
    candidates = rng.choice(model.n_items, 100, replace=False)
    rows = []
    # What serving ran before: the reference on the runtime's column-major copy of the factors.
    column_major = dataclasses.replace(model, item_factors=np.asfortranarray(model.item_factors))
    for batch in BATCHES:
        histories = _histories(rng, model.n_items, batch)
        for case, extra in (("recommend", {}), ("recommend+mask", {"candidate_mask": mask})):
            calls = {
                name: functools.partial(
                    function, scored, histories, 25, exploration_weight=0.3, **extra
                )
                for name, function, scored in (
                    ("fast", recommend, model),
                    ("reference", recommend_reference, model),
                    ("reference_column_major", recommend_reference, column_major),
                )
            }
            _check_same(calls["fast"](), calls["reference"]())
            rows.append(_row(label, case, batch, _median_us_per_user(calls, batch)))
        calls = {
            name: functools.partial(
                function, model, histories, 25, exploration_weight=0.3, normalised_scores=True
            )
            for name, function in (("fast", recommend), ("reference", recommend_reference))
        }
        calls["fast_unnormalised"] = functools.partial(
            recommend, model, histories, 25, exploration_weight=0.3
        )
        _check_same(calls["fast"](), calls["reference"](), atol=0.0)  # probabilities ~1e-5
        rows.append(_row(label, "recommend+softmax", batch, _median_us_per_user(calls, batch)))
        if batch == 1:
            calls = {
                "fast": functools.partial(rank, model, histories, candidates),
                "reference": functools.partial(rank_reference, model, histories, candidates),
                "reference_column_major": functools.partial(
                    rank_reference, column_major, histories, candidates
                ),
            }
            _check_same(calls["fast"](), calls["reference"]())
            rows.append(_row(label, "rank(100)", 1, _median_us_per_user(calls, 1)))
    return rows


def _row(label: str, case: str, batch: int, timed: dict[str, float]) -> dict[str, Any]:
    return {
        "model": label,
        "case": case,
        "batch": batch,
        "fast_us_per_user": round(timed["fast"], 1),
        "reference_us_per_user": round(timed["reference"], 1),
        "speedup": round(timed["reference"] / timed["fast"], 2),
        "reference_column_major_us_per_user": round(
            timed.get("reference_column_major", timed["reference"]), 1
        ),
        "softmax_us_per_user": (
            round(timed["fast"] - timed["fast_unnormalised"], 1)
            if "fast_unnormalised" in timed
            else None
        ),
    }


def main() -> int:
    started = time.time()
    load_start = os.getloadavg()
    rows = []
    with threadpool_limits(1, "blas"):
        rows += measure(synthetic_model("als", 27_000), "ALS 27k x 64")
        rows += measure(synthetic_model("ease", 5_000), "EASE 5k")
    result = {
        "benchmark": "recipe_scoring",
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, {platform.python_version()}",
        "started_unix": int(started),
        "seconds": round(time.time() - started, 1),
        "load_average_start": [round(v, 2) for v in load_start],
        "load_average_end": [round(v, 2) for v in os.getloadavg()],
        "history_length": HISTORY_LENGTH,
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{'model':14} {'case':18} {'batch':>5} {'fast us':>9} {'ref us':>9} {'speedup':>8}"
        f" {'ref col-major us':>17} {'softmax us':>10}"
    )
    for row in rows:
        print(
            f"{row['model']:14} {row['case']:18} {row['batch']:>5} "
            f"{row['fast_us_per_user']:>9.1f} {row['reference_us_per_user']:>9.1f} "
            f"{row['speedup']:>7.2f}x {row['reference_column_major_us_per_user']:>17.1f}"
            f" {'' if row['softmax_us_per_user'] is None else row['softmax_us_per_user']:>10}"
        )
    print(f"load average {result['load_average_start']} -> {result['load_average_end']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
