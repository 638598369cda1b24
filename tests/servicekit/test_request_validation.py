"""Tests of the generic request validator on the real generated API messages."""

from __future__ import annotations

import time

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

from domain.errors import InvalidInputException
from servicekit import request_validation
from servicekit.request_validation import compiled_pattern, validate_request
from tailor_api.v1 import (
    constraints_pb2,
    personalize_events_pb2,
    personalize_pb2,
    personalize_runtime_pb2,
)

P = personalize_pb2
E = personalize_events_pb2
R = personalize_runtime_pb2
ARN = "arn:aws:personalize:us-east-1:123456789012:solution/my-solution"
ROLE = "arn:aws:iam::123456789012:role/PersonalizeRole"


def rejects(message: Message) -> str:
    """Validate ``message``, expecting InvalidInputException; return its message."""
    with pytest.raises(InvalidInputException) as caught:
        validate_request(message)
    return caught.value.message


def dataset_group(**overrides: object) -> P.CreateDatasetGroupRequest:
    fields: dict[str, object] = {
        "name": "movies-1",
        "role_arn": ROLE,
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abcd",
        "domain": "VIDEO_ON_DEMAND",
        "tags": [P.Tag(tag_key="team", tag_value="recs")],
    }
    fields.update(overrides)
    return P.CreateDatasetGroupRequest(**fields)


def batch_job() -> P.CreateBatchInferenceJobRequest:
    return P.CreateBatchInferenceJobRequest(
        job_name="nightly",
        solution_version_arn=ARN,
        role_arn=ROLE,
        job_input=P.BatchInferenceJobInput(
            s3_data_source=P.S3DataConfig(path="s3://in/users.json")
        ),
        job_output=P.BatchInferenceJobOutput(s3_data_destination=P.S3DataConfig(path="s3://out/")),
        batch_inference_job_config=P.BatchInferenceJobConfig(
            ranking_influence={"POPULARITY": 0.5, "FRESHNESS": 1.0},
        ),
    )


def put_events(count: int = 2) -> E.PutEventsRequest:
    events = [E.Event(event_type="click", sent_at=1.7e9 + i, item_id=f"i{i}") for i in range(count)]
    return E.PutEventsRequest(tracking_id="tracker", session_id="s-1", event_list=events)


def recommendations() -> R.GetRecommendationsRequest:
    request = R.GetRecommendationsRequest(
        campaign_arn=ARN,
        user_id="u-1",
        num_results=25,
        context={"DEVICE": "phone"},
        filter_values={"GENRE": '"comedy"'},
        promotions=[R.Promotion(name="promo", percent_promoted_items=10)],
    )
    request.metadata_columns["ITEMS"].extend(["title", "genre"])
    return request


# ---------------------------------------------------------------------------------------------
# Valid requests
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        dataset_group(),
        P.CreateDatasetGroupRequest(name="x"),  # optional fields left out
        batch_job(),
        put_events(),
        put_events(10),
        recommendations(),
        R.GetRecommendationsRequest(),  # nothing required
        P.ListDatasetGroupsRequest(max_results=100),
        P.TagResourceRequest(resource_arn=ARN, tags=[P.Tag(tag_key="k", tag_value="")]),
    ],
    ids=lambda m: type(m).__name__,
)
def test_valid_requests_pass(message: Message) -> None:
    validate_request(message)


def test_tag_with_unicode_letters_matches_the_p_l_pattern() -> None:
    tag = P.Tag(tag_key="Straße", tag_value="Ünïcødé 東京 ñandú 2024")
    validate_request(dataset_group(tags=[tag]))


def test_lengths_count_characters_not_bytes() -> None:
    validate_request(dataset_group(tags=[P.Tag(tag_key="k", tag_value="é" * 256)]))
    reason = rejects(dataset_group(tags=[P.Tag(tag_key="k", tag_value="é" * 257)]))
    assert reason == "tags[0].tagValue: length must be at most 256, got 257"


# ---------------------------------------------------------------------------------------------
# One failing case per rule kind
# ---------------------------------------------------------------------------------------------


def test_required_scalar_missing() -> None:
    assert rejects(P.CreateDatasetGroupRequest(domain="ECOMMERCE")) == "name is required"


def test_required_scalar_set_to_empty_is_present_but_too_short() -> None:
    assert rejects(dataset_group(name="")) == "name: length must be at least 1, got 0"


def test_required_in_nested_message_names_the_path() -> None:
    request = batch_job()
    request.job_input.s3_data_source.ClearField("path")
    assert rejects(request) == "jobInput.s3DataSource.path is required"


def test_required_message_missing() -> None:
    request = batch_job()
    request.ClearField("job_output")
    assert rejects(request) == "jobOutput is required"


def test_required_list_empty() -> None:
    assert rejects(E.PutEventsRequest(tracking_id="t", session_id="s")) == "eventList is required"


def test_max_length() -> None:
    assert rejects(dataset_group(name="a" * 70)) == "name: length must be at most 63, got 70"


def test_pattern_in_list_element_names_index_and_member() -> None:
    tags = [P.Tag(tag_key=f"k{i}", tag_value="v") for i in range(3)]
    tags.append(P.Tag(tag_key="bad!key", tag_value="v"))
    reason = rejects(dataset_group(tags=tags))
    assert reason.startswith("tags[3].tagKey: must match pattern ")
    assert r"\p{L}" in reason


def test_pattern_must_match_the_whole_value() -> None:
    # "^[a-zA-Z0-9][a-zA-Z0-9\-_]*" matches the prefix "ok" of "ok name" but not all of it.
    assert rejects(dataset_group(name="ok name")).startswith("name: must match pattern ")
    filter_values = {"GENRE!": "x"}  # key pattern [A-Za-z0-9_]+ has no anchors
    reason = rejects(R.GetRecommendationsRequest(filter_values=filter_values))
    assert reason.startswith('filterValues key "GENRE!": must match pattern ')


def test_allowed_values() -> None:
    reason = rejects(dataset_group(domain="FOO"))
    assert reason == 'domain: must be one of ECOMMERCE, VIDEO_ON_DEMAND, got "FOO"'


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (0, "maxResults: must be at least 1, got 0"),
        (101, "maxResults: must be at most 100, got 101"),
    ],
)
def test_numeric_range(value: int, reason: str) -> None:
    assert rejects(P.ListDatasetGroupsRequest(max_results=value)) == reason


def test_numeric_range_on_double_and_nan() -> None:
    config = P.EventParameters(weight=1.5)
    assert rejects(config) == "weight: must be at most 1, got 1.5"
    assert rejects(P.EventParameters(weight=float("nan"))) == "weight: must be a number, got NaN"
    validate_request(P.EventParameters(weight=0.0))


def test_max_items() -> None:
    reason = rejects(put_events(11))
    assert reason == "eventList: must have at most 10 items, got 11"
    request = recommendations()
    request.promotions.add(name="second")
    assert rejects(request) == "promotions: must have at most 1 items, got 2"


def test_map_max_items() -> None:
    context = {f"K{i}": "v" for i in range(151)}
    reason = rejects(R.GetRecommendationsRequest(context=context))
    assert reason == "context: must have at most 150 items, got 151"


def test_map_key_allowed_values() -> None:
    request = batch_job()
    request.batch_inference_job_config.ranking_influence["SPEED"] = 0.5
    reason = rejects(request)
    assert reason == (
        'batchInferenceJobConfig.rankingInfluence key "SPEED": '
        'must be one of POPULARITY, FRESHNESS, got "SPEED"'
    )


def test_map_value_rule() -> None:
    request = batch_job()
    request.batch_inference_job_config.ranking_influence["FRESHNESS"] = 2.0
    reason = rejects(request)
    assert (
        reason == 'batchInferenceJobConfig.rankingInfluence["FRESHNESS"]: must be at most 1, got 2'
    )
    too_long = R.GetRecommendationsRequest(filter_values={"GENRE": "x" * 1001})
    assert rejects(too_long) == 'filterValues["GENRE"]: length must be at most 1000, got 1001'


def test_list_element_value_rule() -> None:
    impressions = ["i1", "", "i3"]
    event = E.Event(event_type="click", sent_at=1.0, impression=impressions)
    request = E.PutEventsRequest(tracking_id="t", session_id="s", event_list=[event])
    assert rejects(request) == "eventList[0].impression[1]: length must be at least 1, got 0"


def test_list_value_elements_must_be_strings() -> None:
    request = recommendations()
    request.metadata_columns["ITEMS"].append(3)
    assert rejects(request) == 'metadataColumns["ITEMS"][2]: must be a string, got number_value'


def test_list_value_element_rule() -> None:
    request = P.TrainingDataConfig()
    request.included_dataset_columns["ITEMS"].extend(["title", "9lives"])
    reason = rejects(request)
    assert reason.startswith('includedDatasetColumns["ITEMS"][1]: must match pattern ')


def test_inner_max_items() -> None:
    request = R.GetRecommendationsRequest()
    request.metadata_columns["ITEMS"].extend([f"c{i}" for i in range(100)])
    assert rejects(request) == 'metadataColumns["ITEMS"]: must have at most 99 items, got 100'
    del request.metadata_columns["ITEMS"][99]
    validate_request(request)


def test_recursion_into_repeated_messages() -> None:
    request = recommendations()
    request.promotions[0].percent_promoted_items = 0
    reason = rejects(request)
    assert reason == "promotions[0].percentPromotedItems: must be at least 1, got 0"


def test_json_name_differs_from_proto_camel_case() -> None:
    request = P.CampaignConfig(ranking_influence={"POPULARITY": 0.1})
    validate_request(request)
    update = P.UpdateCampaignRequest(campaign_arn=ARN, min_provisioned_tps=0)
    assert rejects(update) == "minProvisionedTPS: must be at least 1, got 0"


def test_first_violation_in_field_order_wins() -> None:
    reason = rejects(P.CreateDatasetGroupRequest(name="a" * 70, domain="FOO"))
    assert reason.startswith("name:")


def test_error_is_the_aws_exception() -> None:
    with pytest.raises(InvalidInputException) as caught:
        validate_request(P.CreateDatasetGroupRequest())
    assert str(caught.value) == "InvalidInputException: name is required"


# ---------------------------------------------------------------------------------------------
# Rule kinds the AWS models do not use today, on a message built for the test
# ---------------------------------------------------------------------------------------------


def _fixture_message() -> type[Message]:
    """A message type with rules no real API field has (min_items > 1, implicit presence...)."""
    pool = descriptor_pool.Default()
    full_name = "tailor.test.validation.Fixture"
    try:
        return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))
    except KeyError:
        pass
    F = descriptor_pb2.FieldDescriptorProto
    fdp = descriptor_pb2.FileDescriptorProto(
        name="tests/servicekit/validation_fixture.proto",
        package="tailor.test.validation",
        syntax="proto3",
        dependency=["tailor_api/v1/constraints.proto"],
    )
    item = fdp.message_type.add(name="Item")
    item.field.add(name="id", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    item.field[0].options.Extensions[constraints_pb2.rule].required = True
    fixture = fdp.message_type.add(name="Fixture")
    entry = fixture.nested_type.add(name="ItemsByNameEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    entry.field.add(
        name="value",
        number=2,
        type=F.TYPE_MESSAGE,
        type_name=".tailor.test.validation.Item",
        label=F.LABEL_OPTIONAL,
    )
    plain = fixture.field.add(name="plain", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    rule = plain.options.Extensions[constraints_pb2.rule]
    rule.required = True
    rule.value.max_length = 3
    labels = fixture.field.add(name="labels", number=2, type=F.TYPE_STRING, label=F.LABEL_REPEATED)
    labels.options.Extensions[constraints_pb2.rule].min_items = 2
    blob = fixture.field.add(name="blob", number=3, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL)
    blob.proto3_optional = True
    blob.oneof_index = 0
    fixture.oneof_decl.add(name="_blob")
    blob.options.Extensions[constraints_pb2.rule].value.max_length = 2
    fixture.field.add(
        name="items_by_name",
        number=4,
        type=F.TYPE_MESSAGE,
        type_name=".tailor.test.validation.Fixture.ItemsByNameEntry",
        label=F.LABEL_REPEATED,
        json_name="itemsByName",
    )
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))


def test_fixture_rules() -> None:
    Fixture = _fixture_message()
    validate_request(Fixture(plain="abc", labels=["a", "b"], blob=b"xy"))
    assert rejects(Fixture()) == "plain is required"  # implicit presence: empty is absent
    assert rejects(Fixture(plain="abcd")) == "plain: length must be at most 3, got 4"
    assert rejects(Fixture(plain="a", labels=["x"])) == "labels: must have at least 2 items, got 1"
    validate_request(Fixture(plain="a"))  # an empty list is an absent list
    assert rejects(Fixture(plain="a", blob=b"xyz")) == "blob: length must be at most 2, got 3"
    nested = Fixture(plain="a")
    nested.items_by_name["first"].id = "1"
    nested.items_by_name["second"].SetInParent()
    assert rejects(nested) == 'itemsByName["second"].id is required'


# ---------------------------------------------------------------------------------------------
# Patterns and the check cache
# ---------------------------------------------------------------------------------------------


def _all_patterns() -> set[str]:
    patterns = set()
    for module in (personalize_pb2, personalize_events_pb2, personalize_runtime_pb2):
        for message in module.DESCRIPTOR.message_types_by_name.values():
            for field in message.fields:
                rule = field.GetOptions().Extensions[constraints_pb2.rule]
                patterns |= {r.pattern for r in (rule.value, rule.key) if r.HasField("pattern")}
    return patterns


def test_every_api_pattern_compiles() -> None:
    patterns = _all_patterns()
    assert len(patterns) > 5
    for pattern in patterns:
        compiled_pattern(pattern)


def test_patterns_are_compiled_once() -> None:
    pattern = r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*"
    assert compiled_pattern(pattern) is compiled_pattern(pattern)


def test_checks_are_computed_once_per_descriptor() -> None:
    validate_request(dataset_group())
    descriptor = P.CreateDatasetGroupRequest.DESCRIPTOR
    checks = request_validation._CHECKS[descriptor.full_name]
    validate_request(dataset_group(name="again"))
    assert request_validation._CHECKS[descriptor.full_name] is checks


def _event_with_source(source: str) -> E.PutEventsRequest:
    attribution = E.MetricAttribution(event_attribution_source=source)
    event = E.Event(event_type="click", sent_at=1.0, metric_attribution=attribution)
    return E.PutEventsRequest(tracking_id="t", session_id="s", event_list=[event])


def test_backtracking_pattern_stays_fast() -> None:
    # ^[\x20-\x7E]*[\x21-\x7E]+[\x20-\x7E]*$ backtracks on a long printable run then a NUL.
    validate_request(_event_with_source("web campaign"))
    started = time.perf_counter()
    reason = rejects(_event_with_source("a" * 1023 + "\x00"))
    assert time.perf_counter() - started < 1.0
    assert reason.startswith("eventList[0].metricAttribution.eventAttributionSource: must match")
    # Over-long values are refused by length before the pattern is tried.
    reason = rejects(_event_with_source("a" * 100_000 + "\x00"))
    assert reason.endswith("length must be at most 1024, got 100001")


def test_map_entries_are_checked_in_key_order() -> None:
    filter_values = {"Z!": "x", "M!": "x", "A!": "x"}
    reason = rejects(R.GetRecommendationsRequest(filter_values=filter_values))
    assert reason.startswith('filterValues key "A!":')


def test_data_location_also_accepts_local_file_urls() -> None:
    def import_job(location: str) -> P.CreateDatasetImportJobRequest:
        return P.CreateDatasetImportJobRequest(
            job_name="load",
            dataset_arn=ARN,
            data_source=P.DataSource(data_location=location),
        )

    validate_request(import_job("s3://bucket/events.csv"))
    validate_request(import_job("file:///data/events/"))
    assert rejects(import_job("/data/events.csv")).startswith("dataSource.dataLocation: must match")
    assert "file" in rejects(import_job("ftp://host/events.csv"))
