"""Spec §10.4 scores through real gRPC: GetPersonalizedRanking's softmax over the input list.

GetRecommendations of User-Personalization: the softmax over the whole catalogue (the
log-normaliser of the full score row, computed inside ``recipes.personalization.recommend``).
"""

from __future__ import annotations

import math

from tests.runtime_service.test_serving import ask


def test_ranking_scores_sum_to_one_over_the_known_input_items(runtime, served):
    ranked = ask(
        runtime,
        "GetPersonalizedRanking",
        campaignArn=served["campaign"],
        userId="b0-u3",
        inputList=["b1-i0", "never-seen", "b0-i1", "b2-i3"],
    )["personalizedRanking"]
    scores = [entry["score"] for entry in ranked if "score" in entry]
    assert len(scores) == 3 and math.isclose(sum(scores), 1.0, rel_tol=1e-6)
    assert scores == sorted(scores, reverse=True) and all(0 < score < 1 for score in scores)
    assert ranked[-1] == {"itemId": "never-seen"}


def test_recommendation_scores_are_catalogue_probabilities(runtime, served):
    items = ask(
        runtime, "GetRecommendations", campaignArn=served["campaign"], userId="b0-u3", numResults=10
    )["itemList"]
    scores = [entry["score"] for entry in items]
    assert len(scores) == 10 and all(0 < score < 1 for score in scores)
    assert scores == sorted(scores, reverse=True) and sum(scores) < 1
