"""The runtime's fast path: batched scoring, cached filter columns, the hand-written servicer."""

from __future__ import annotations

import json
import threading
import time

import grpc
import numpy as np
import pytest

from recipes.interactions import histories_from_lists
from recipes.personalization import PersonalizationModel, recommend
from runtime_service.request_filters import FILTER_CACHE_SECONDS
from runtime_service.scoring_batcher import ScoringBatcher
from tailor_api.v1 import personalize_runtime_pb2
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import NOT_FOUND, ask, items_of, refused
from tests.trainer.import_fixtures import T0

N_ITEMS = 20_000


def _model(n_items: int = N_ITEMS, n_factors: int = 32) -> PersonalizationModel:
    rng = np.random.default_rng(7)
    factors = rng.normal(0, 1, (n_items, n_factors)).astype(np.float32)
    popularity = rng.pareto(1.2, n_items).astype(np.float32) + 1
    return PersonalizationModel(
        recipe="aws-user-personalization",
        algorithm="als",
        hyperparameters={
            "bptt": 32,
            "recency_mask": True,
            "als_regularization": 20.0,
            "als_alpha": 1.0,
            "recent_popularity_weight": 0.05,
        },
        item_weights=np.zeros((0, 0), np.float32),
        item_factors=factors,
        item_gram=(factors.T @ factors).astype(np.float32),
        item_popularity=popularity,
        recent_popularity=(popularity * 0.5).astype(np.float32),
        item_first_seen=rng.integers(T0 - 90 * 86400, T0, n_items),
        latest_timestamp=T0,
    )


def test_batched_scoring_returns_what_scoring_each_request_alone_returns():
    model = _model()
    rng = np.random.default_rng(3)
    requests = []
    for n in range(48):
        codes = rng.integers(0, N_ITEMS, int(rng.integers(0, 30)))
        mask = rng.random(N_ITEMS) < 0.5 if n % 3 == 0 else None
        requests.append((codes, T0 + np.arange(codes.shape[0]), 5 + n % 20, mask))
    batcher = ScoringBatcher()
    results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def serve(index: int) -> None:
        codes, stamps, k, mask = requests[index]
        start.wait()
        results[index] = batcher.recommend(
            model,
            histories_from_lists([codes], [stamps]),
            k,
            candidate_mask=mask,
            exploration_weight=0.3,
            exploration_item_age_cut_off=30.0,
        )

    threads = [threading.Thread(target=serve, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert batcher.largest_batch > 1, "concurrent requests were scored together"
    for (codes, stamps, k, mask), result in zip(requests, results, strict=True):
        alone = recommend(
            model,
            histories_from_lists([codes], [stamps]),
            k,
            exclude_history=True,
            candidate_mask=mask,
            exploration_weight=0.3,
            exploration_item_age_cut_off=30.0,
        )
        assert result is not None
        assert result[0].shape == (1, k)
        np.testing.assert_array_equal(result[0], alone[0])
        np.testing.assert_allclose(result[1], alone[1], rtol=1e-5)


def test_a_failing_request_fails_alone_and_the_next_call_still_scores():
    model = _model(n_items=100)
    batcher = ScoringBatcher()
    wrong_mask = np.ones(7, bool)  # not (n_items,): the product cannot apply it
    with pytest.raises(ValueError):
        batcher.recommend(
            model, histories_from_lists([np.array([1])]), 5, candidate_mask=wrong_mask
        )
    codes, _ = batcher.recommend(model, histories_from_lists([np.array([1])]), 5)
    assert codes.shape == (1, 5) and 1 not in codes


def test_cached_filter_columns_see_a_put_items_change_on_the_next_request(
    personalize, events, runtime, served
):
    campaign = served["campaign"]
    genre = call(
        personalize,
        "CreateFilter",
        name="genre-cached",
        datasetGroupArn=served["group"],
        filterExpression="INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)",
    )["filterArn"]

    def chosen() -> set[str]:
        response = ask(
            runtime,
            "GetRecommendations",
            campaignArn=campaign,
            userId="b0-u1",
            filterArn=genre,
            filterValues={"GENRE": '"cached-genre"'},
        )
        return set(items_of(response))

    assert chosen() == set()
    assert chosen() == set(), "the cached columns answer the same"
    call_events(
        events,
        "PutItems",
        datasetArn=served["Items"],
        items=[
            {
                "itemId": "b3-i4",
                "properties": json.dumps({"genres": "cached-genre", "creationTimestamp": T0}),
            }
        ],
    )
    assert chosen() == {"b3-i4"}
    call_events(
        events,
        "PutItems",
        datasetArn=served["Items"],
        items=[
            {
                "itemId": "b3-i4",
                "properties": json.dumps({"genres": "other", "creationTimestamp": T0}),
            }
        ],
    )
    assert chosen() == set()


def test_the_runtime_servicer_answers_unimplemented_rpcs_and_maps_errors(runtime, served):
    with pytest.raises(grpc.RpcError) as caught:
        runtime.GetActionRecommendations(
            personalize_runtime_pb2.GetActionRecommendationsRequest(
                campaign_arn=served["campaign"]
            ),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "GetActionRecommendations" in caught.value.details()
    with pytest.raises(grpc.RpcError) as caught:
        runtime.GetRecommendations(
            personalize_runtime_pb2.GetRecommendationsRequest(
                campaign_arn="not-an-arn", user_id="b0-u0"
            ),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "campaignArn" in caught.value.details()


def test_a_deleted_filter_stops_applying_within_the_filter_cache_time(personalize, runtime, served):
    filter_arn = call(
        personalize,
        "CreateFilter",
        name="short-lived",
        datasetGroupArn=served["group"],
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
    )["filterArn"]
    request = {"campaignArn": served["campaign"], "userId": "b0-u0", "filterArn": filter_arn}
    assert items_of(ask(runtime, "GetRecommendations", **request))
    call(personalize, "DeleteFilter", filterArn=filter_arn)
    time.sleep(FILTER_CACHE_SECONDS + 0.2)
    refused(runtime, "GetRecommendations", NOT_FOUND, **request)
