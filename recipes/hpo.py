"""Hyperparameter search for ``performHPO``: seeded random search on a validation split.

The validation split is carved from the training users only (an AWS split of them), so the test
users behind GetSolutionMetrics never influence the choice. Trial 0 is the given base values (the
recipe defaults, moved into the ranges where they fall outside), so the search never returns
something worse on validation than the defaults; the other trials sample the ranges uniformly
(integers and floats over [minValue, maxValue], categoricals over their values), skipping
settings already tried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from recipes.evaluation import METRIC_KEYS, Model, aws_split, evaluate
from recipes.interactions import Interactions

#: The metric maximised unless told otherwise.
DEFAULT_OBJECTIVE = "normalized_discounted_cumulative_gain_at_10"
_SAMPLING_ATTEMPTS = 50

FitFunction = Callable[[Interactions, dict[str, str]], Model]


@dataclass(frozen=True)
class HpoTrial:
    """One trial: the hyperparameters tried (API strings) and the validation metrics."""

    hyperparameters: dict[str, str]
    metrics: dict[str, float]


@dataclass(frozen=True)
class HpoResult:
    """The outcome of a search.

    Attributes:
        best_hyperparameters: the winning values (API strings, bare names), every base value
            included.
        objective: the metric key maximised.
        trials: every trial in order; the winner is the first with the best objective.

    """

    best_hyperparameters: dict[str, str]
    objective: str
    trials: list[HpoTrial]


def _format(value: Any, kind: str) -> str:
    if kind == "integer":
        return str(int(round(float(value))))
    if kind == "continuous":
        return repr(float(value))
    return str(value)


def _ranges(ranges_document: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """``(bare name, kind, spec)`` for each range of an AWS ``algorithmHyperParameterRanges``."""
    found = []
    for key, kind in (
        ("integerHyperParameterRanges", "integer"),
        ("continuousHyperParameterRanges", "continuous"),
        ("categoricalHyperParameterRanges", "categorical"),
    ):
        for item in ranges_document.get(key) or ():
            found.append((item["name"].rsplit(".", 1)[-1], kind, item))
    return found


def _inside(value: str | None, kind: str, spec: Mapping[str, Any]) -> bool:
    if value is None:
        return False
    if kind == "categorical":
        return value in [str(v) for v in spec["values"]]
    number = float(value)
    low, high = spec.get("minValue"), spec.get("maxValue")
    return (low is None or number >= low) and (high is None or number <= high)


def _sample(rng: np.random.Generator, kind: str, spec: Mapping[str, Any]) -> str:
    if kind == "categorical":
        return str(spec["values"][rng.integers(len(spec["values"]))])
    low, high = float(spec["minValue"]), float(spec["maxValue"])
    if kind == "integer":
        return str(int(rng.integers(int(low), int(high) + 1)))
    return _format(rng.uniform(low, high), kind)


def _midpoint(kind: str, spec: Mapping[str, Any]) -> str:
    if kind == "categorical":
        return str(spec["values"][0])
    return _format((float(spec["minValue"]) + float(spec["maxValue"])) / 2.0, kind)


def search_hyperparameters(
    interactions: Interactions,
    fit: FitFunction,
    base_hyperparameters: Mapping[str, str],
    ranges_document: Mapping[str, Any],
    max_trials: int,
    *,
    objective: str = DEFAULT_OBJECTIVE,
    seed: int = 0,
) -> HpoResult:
    """Pick hyperparameters by random search on a validation split of the training users.

    Args:
        interactions: the training events (test users already removed by the caller).
        fit: ``fit(train_events, hyperparameters) -> model``, e.g. a ``functools.partial`` of
            ``fitting.fit_recipe``.
        base_hyperparameters: every hyperparameter's value (API strings) outside the search.
        ranges_document: ``hpoConfig.algorithmHyperParameterRanges`` (AWS shape); integer and
            continuous ranges need both ``minValue`` and ``maxValue``.
        max_trials: ``maxNumberOfTrainingJobs`` (>= 1).
        objective: a key of ``evaluation.METRIC_KEYS`` to maximise.
        seed: seeds both the validation split and the sampling.

    Returns:
        The winning values and every trial.

    Raises:
        ValueError: unknown objective or ``max_trials`` < 1.

    """
    if objective not in METRIC_KEYS:
        raise ValueError(f"unknown objective {objective!r}; expected one of {METRIC_KEYS}")
    if max_trials < 1:
        raise ValueError("max_trials must be at least 1")
    ranges = _ranges(ranges_document)
    rng = np.random.default_rng(seed)
    validation = aws_split(interactions, seed=seed)
    base = {name.rsplit(".", 1)[-1]: str(value) for name, value in base_hyperparameters.items()}
    first = dict(base)
    for name, kind, spec in ranges:
        if not _inside(first.get(name), kind, spec):
            first[name] = _midpoint(kind, spec)
    candidates = [first]
    tried = {tuple(sorted(first.items()))}
    while len(candidates) < max_trials and ranges:
        for _ in range(_SAMPLING_ATTEMPTS):
            candidate = dict(base)
            candidate.update({name: _sample(rng, kind, spec) for name, kind, spec in ranges})
            if tuple(sorted(candidate.items())) not in tried:
                break
        else:
            break  # the ranges hold no untried setting
        tried.add(tuple(sorted(candidate.items())))
        candidates.append(candidate)
    trials = [
        HpoTrial(candidate, evaluate(fit(validation.train, candidate), validation))
        for candidate in candidates
    ]
    best = max(range(len(trials)), key=lambda i: (trials[i].metrics[objective], -i))
    return HpoResult(dict(trials[best].hyperparameters), objective, trials)
