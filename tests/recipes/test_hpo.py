import pytest

from recipes.hpo import search_hyperparameters
from recipes.personalization import PersonalizationOptions, fit_personalization
from recipes.popularity import fit_popularity_count

from .conftest import two_clusters

CHOICE = {"categoricalHyperParameterRanges": [{"name": "model", "values": ["popular", "personal"]}]}


def fit_by_choice(train, hyperparameters):
    if hyperparameters["model"] == "personal":
        return fit_personalization(train, options=PersonalizationOptions(ease_l2=50.0))
    return fit_popularity_count(train)


def test_hpo_picks_the_clearly_better_setting() -> None:
    data = two_clusters(n_users=200)
    result = search_hyperparameters(data, fit_by_choice, {"model": "popular"}, CHOICE, 2)
    assert [t.hyperparameters["model"] for t in result.trials] == ["popular", "personal"]
    assert result.best_hyperparameters == {"model": "personal"}
    objective = [t.metrics[result.objective] for t in result.trials]
    assert objective[1] > objective[0]


def test_hpo_is_seeded_starts_from_the_base_and_respects_ranges() -> None:
    ranges = {
        "integerHyperParameterRanges": [{"name": "training.bptt", "minValue": 2, "maxValue": 8}],
        "continuousHyperParameterRanges": [{"name": "x", "minValue": 0.0, "maxValue": 1.0}],
    }
    seen = []

    def fit(train, hyperparameters):
        seen.append(dict(hyperparameters))
        return fit_popularity_count(train)

    base = {"bptt": "32", "x": "0.5", "recency_mask": "true"}
    first = search_hyperparameters(two_clusters(), fit, base, ranges, 4, seed=3)
    second = search_hyperparameters(two_clusters(), fit, base, ranges, 4, seed=3)
    assert [t.hyperparameters for t in first.trials] == [t.hyperparameters for t in second.trials]
    assert len(first.trials) == 4
    assert first.trials[0].hyperparameters == {"bptt": "5", "x": "0.5", "recency_mask": "true"}
    for trial in first.trials:
        assert 2 <= int(trial.hyperparameters["bptt"]) <= 8
        assert 0.0 <= float(trial.hyperparameters["x"]) <= 1.0
        assert trial.hyperparameters["recency_mask"] == "true"
    assert first.best_hyperparameters == first.trials[0].hyperparameters  # all tie: the first wins


def test_hpo_stops_when_the_ranges_are_exhausted_and_checks_its_arguments() -> None:
    result = search_hyperparameters(two_clusters(), fit_by_choice, {"model": "popular"}, CHOICE, 10)
    assert len(result.trials) == 2
    with pytest.raises(ValueError, match="objective"):
        search_hyperparameters(two_clusters(), fit_by_choice, {}, CHOICE, 2, objective="auc")
    with pytest.raises(ValueError, match="max_trials"):
        search_hyperparameters(two_clusters(), fit_by_choice, {}, CHOICE, 0)
