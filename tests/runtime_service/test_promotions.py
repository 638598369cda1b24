"""Promotions (spec §10.3) through real gRPC on the planted campaign, and the merge rules."""

from __future__ import annotations

import json
import random

from runtime_service.promotions import merge_promoted, promoted_slots
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import INVALID, NOT_FOUND, ask, items_of, refused
from tests.trainer.import_fixtures import T0

RARE = {"b3-i1", "b3-i2", "b0-i5", "b1-i7"}


def test_promoted_slots_round_up():
    assert promoted_slots(25, 1) == 1
    assert promoted_slots(10, 20) == 2
    assert promoted_slots(10, 25) == 3
    assert promoted_slots(7, 100) == 7


def test_merge_keeps_both_orders_and_drops_duplicates():
    promoted = [(5, 0.9), (7, 0.1)]
    regular = [(1, 0.8), (5, 0.9), (2, 0.5), (3, 0.4), (4, 0.3)]
    seen_positions = set()
    for seed in range(30):
        merged = merge_promoted(promoted, regular, 4, random.Random(seed))
        codes = [code for code, _, _ in merged]
        assert len(codes) == 4 and len(set(codes)) == 4
        assert [c for c, _, p in merged if p] == [5, 7]
        assert [c for c, _, p in merged if not p] == [1, 2]
        seen_positions.add(tuple(i for i, (_, _, p) in enumerate(merged) if p))
    assert len(seen_positions) > 1, "promoted items go to random positions"
    assert merge_promoted([], regular, 3) == [(1, 0.8, False), (5, 0.9, False), (2, 0.5, False)]


def rare_filters(personalize, events, served) -> tuple[str, str]:
    """Mark RARE items ``genres=rare``; (INCLUDE-by-$GENRE filter, EXCLUDE-rare filter)."""
    call_events(
        events,
        "PutItems",
        datasetArn=served["Items"],
        items=[
            {"itemId": item, "properties": json.dumps({"genres": "rare", "creationTimestamp": T0})}
            for item in sorted(RARE)
        ],
    )
    group = served["group"]
    include = call(
        personalize,
        "CreateFilter",
        name="genre",
        datasetGroupArn=group,
        filterExpression="INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)",
    )["filterArn"]
    exclude = call(
        personalize,
        "CreateFilter",
        name="no-rare",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHERE Items.GENRES IN ("rare")',
    )["filterArn"]
    return include, exclude


def test_promotion_fills_its_share_from_its_own_filter(personalize, events, runtime, served):
    include, exclude = rare_filters(personalize, events, served)
    promotion = {
        "name": "rare-ones",
        "percentPromotedItems": 20,
        "filterArn": include,
        "filterValues": {"GENRE": '"rare"'},
    }
    request = {
        "campaignArn": served["campaign"],
        "userId": "b0-u1",
        "numResults": 10,
        "filterArn": exclude,
        "promotions": [promotion],
    }
    positions = set()
    for _ in range(15):
        answer = ask(runtime, "GetRecommendations", **request)
        entries = answer["itemList"]
        assert len(entries) == 10 and len(set(items_of(answer))) == 10
        promoted = [e for e in entries if e.get("promotionName") == "rare-ones"]
        rest = [e for e in entries if "promotionName" not in e]
        assert len(promoted) == 2, "ceil(10 x 20%) slots"
        assert {e["itemId"] for e in promoted} <= RARE, "the promotion's filter picks them"
        assert not {e["itemId"] for e in rest} & RARE, "the request filter applies to the rest"
        for part in (promoted, rest):
            scores = [e["score"] for e in part]
            assert scores == sorted(scores, reverse=True), "each part keeps its ranking"
        positions.add(tuple(i for i, e in enumerate(entries) if "promotionName" in e))
    assert len(positions) > 1, "promoted items are placed at random positions"

    everything = ask(
        runtime,
        "GetRecommendations",
        **{**request, "promotions": [{**promotion, "percentPromotedItems": 100}]},
    )
    promoted = [e for e in everything["itemList"] if "promotionName" in e]
    assert 0 < len(promoted) <= len(RARE), "as many as match are promoted"
    assert len(everything["itemList"]) == 10, "the normal ranking fills the rest"


def test_promotion_errors_name_the_promotion(personalize, events, runtime, served):
    include, _ = rare_filters(personalize, events, served)
    base = {"campaignArn": served["campaign"], "userId": "b0-u1"}
    promotion = {"name": "p", "percentPromotedItems": 10, "filterArn": include}
    message = refused(runtime, "GetRecommendations", INVALID, **base, promotions=[promotion])
    assert "promotions[0].filterValues" in message and "GENRE" in message
    missing = include.replace("filter/genre", "filter/nope")
    message = refused(
        runtime,
        "GetRecommendations",
        NOT_FOUND,
        **base,
        promotions=[{**promotion, "filterArn": missing}],
    )
    assert "promotions[0].filterArn" in message
    two = [{**promotion, "filterValues": {"GENRE": '"rare"'}}] * 2
    message = refused(runtime, "GetRecommendations", INVALID, **base, promotions=two)
    assert "promotions" in message
