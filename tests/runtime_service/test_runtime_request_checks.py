"""The fast GetRecommendations check accepts and refuses exactly what the generic one does."""

from __future__ import annotations

from google.protobuf import struct_pb2

from domain.errors import InvalidInputException
from runtime_service.runtime_request_checks import validate_recommendations_request
from servicekit.request_validation import validate_request
from tailor_api.v1 import personalize_runtime_pb2 as runtime_pb2

CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/shop"
FILTER = "arn:aws:personalize:us-east-1:000000000000:filter/unwatched"
RECOMMENDER = "arn:aws:personalize:us-east-1:000000000000:recommender/picks"


def _requests() -> list[runtime_pb2.GetRecommendationsRequest]:
    make = runtime_pb2.GetRecommendationsRequest
    listed = struct_pb2.ListValue()
    listed.append("TITLE")
    wrong = struct_pb2.ListValue()
    wrong.append(3)
    return [
        make(),
        make(campaign_arn=CAMPAIGN, user_id="u1", num_results=25),
        make(campaign_arn=CAMPAIGN, user_id="u1", filter_arn=FILTER),
        make(recommender_arn=RECOMMENDER, user_id="u1", item_id="i1", num_results=0),
        make(campaign_arn="not-an-arn", user_id="u1"),
        make(campaign_arn=CAMPAIGN, filter_arn="arn:aws:s3:::bucket"),
        make(campaign_arn=CAMPAIGN + "x" * 300, user_id="u1"),
        make(campaign_arn=CAMPAIGN, user_id="u" * 256),
        make(campaign_arn=CAMPAIGN, user_id="u" * 257),
        make(campaign_arn=CAMPAIGN, item_id="i" * 257),
        make(campaign_arn=CAMPAIGN, user_id="", item_id=""),
        make(campaign_arn=CAMPAIGN, user_id="u1", num_results=-1),
        make(campaign_arn=CAMPAIGN, user_id="u1", context={"DEVICE": "phone"}),
        make(campaign_arn=CAMPAIGN, user_id="u1", context={"bad key!": "phone"}),
        make(campaign_arn=CAMPAIGN, user_id="u1", filter_values={"GENRE": '"x"'}),
        make(campaign_arn=CAMPAIGN, user_id="u1", filter_values={"G": "v" * 1001}),
        make(campaign_arn=CAMPAIGN, user_id="u1", metadata_columns={"ITEMS": listed}),
        make(campaign_arn=CAMPAIGN, user_id="u1", metadata_columns={"ITEMS": wrong}),
        make(
            campaign_arn=CAMPAIGN,
            user_id="u1",
            promotions=[runtime_pb2.Promotion(name="p", filter_arn="bad")],
        ),
        make(
            campaign_arn=CAMPAIGN,
            user_id="u1",
            promotions=[runtime_pb2.Promotion(name="p", percent_promoted_items=10)] * 2,
        ),
    ]


def _outcome(check, request) -> str | None:  # type: ignore[no-untyped-def]
    try:
        check(request)
    except InvalidInputException as exc:
        return exc.message
    return None


def test_fast_check_gives_the_generic_answer_before_and_after_arns_are_remembered():
    for _ in range(2):  # the second pass runs with the valid ARNs remembered
        for request in _requests():
            expected = _outcome(validate_request, request)
            assert _outcome(validate_recommendations_request, request) == expected, request


def test_fast_check_never_remembers_a_refused_arn():
    bad = runtime_pb2.GetRecommendationsRequest(campaign_arn="campaign/shop", user_id="u1")
    for _ in range(3):
        assert _outcome(validate_recommendations_request, bad) is not None
