"""Tests of the AWS-CLI-like command layer (cli/aws_commands.py).

Argument parsing is tested offline through ``build_request``; the network path is tested
against a stub in-process gRPC server (not the real Tailor server) to check the CLI's transport
and error handling.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest
from google.protobuf import any_pb2, json_format, struct_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from cli.aws_commands import (
    DEFAULT_READ_TIMEOUT_S,
    SERVICES,
    build_request,
    is_required,
    kebab,
    operations,
    run_aws_command,
)
from tailor_api.v1 import personalize_pb2 as pb
from tailor_api.v1 import personalize_runtime_pb2 as runtime_pb

CAMPAIGN_ARN = "arn:aws:personalize:us-east-1:000000000000:campaign/c1"
DSG_ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/g1"
UNUSED_ENDPOINT = "127.0.0.1:1"  # a parse error must stop the command before any connection


def run(service: str, *argv: str, endpoint: str = UNUSED_ENDPOINT) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run_aws_command(service, list(argv), endpoint=endpoint, stdout=out, stderr=err)
    return rc, out.getvalue(), err.getvalue()


def request(service: str, *argv: str):
    return build_request(service, list(argv)).request


# --- operation and option names -------------------------------------------------------------


def test_kebab_names_of_all_79_operations_are_unique_and_round_trip() -> None:
    names = []
    for service in SERVICES:
        for name, method in operations(service).items():
            assert name == kebab(method.name)
            assert "".join(part.capitalize() for part in name.split("-")) == method.name
            names.append(name)
    assert len(names) == 79
    assert len(set(names)) == 79
    assert [len(operations(s)) for s in SERVICES] == [71, 5, 3]


@pytest.mark.parametrize(
    ("aws_name", "expected"),
    [
        ("ListTagsForResource", "list-tags-for-resource"),
        ("GetSolutionMetrics", "get-solution-metrics"),
        ("UpdateDataset", "update-dataset"),
        ("minProvisionedTPS", "min-provisioned-tps"),
        ("performHPO", "perform-hpo"),
        ("performAutoML", "perform-auto-ml"),
        ("s3DataSource", "s3-data-source"),
        ("KMSKeyArn", "kms-key-arn"),
    ],
)
def test_kebab_matches_the_aws_cli_spelling(aws_name: str, expected: str) -> None:
    assert kebab(aws_name) == expected


def test_every_option_name_is_the_kebab_of_its_aws_member() -> None:
    # Field names are the snake_case of the AWS members, so both spellings must agree.
    for service in SERVICES:
        for method in operations(service).values():
            for field in method.input_type.fields:
                assert kebab(field.json_name) == field.name.replace("_", "-"), field.full_name


# --- argument parsing -----------------------------------------------------------------------


def test_string_options() -> None:
    got = request(
        "personalize",
        "create-dataset-group",
        "--name",
        "shop",
        "--role-arn",
        "arn:aws:iam::000000000000:role/r",
        "--domain=ECOMMERCE",
    )
    assert got == pb.CreateDatasetGroupRequest(
        name="shop", role_arn="arn:aws:iam::000000000000:role/r", domain="ECOMMERCE"
    )


def test_integer_option_uses_aws_member_kebab() -> None:
    got = request(
        "personalize",
        "update-campaign",
        "--campaign-arn",
        CAMPAIGN_ARN,
        "--min-provisioned-tps",
        "5",
    )
    assert got == pb.UpdateCampaignRequest(campaign_arn=CAMPAIGN_ARN, min_provisioned_tps=5)
    assert isinstance(got.min_provisioned_tps, int)


@pytest.mark.parametrize("bad", ["five", "2.5", "99999999999"])
def test_bad_integer_is_a_usage_error_naming_the_option(bad: str) -> None:
    rc, out, err = run("personalize", "update-campaign", "--min-provisioned-tps", bad)
    assert rc == 2
    assert out == ""
    assert "--min-provisioned-tps" in err


def test_boolean_flags_set_true_and_false_explicitly() -> None:
    on = request("personalize", "create-solution", "--name", "s", "--perform-hpo")
    off = request("personalize", "create-solution", "--name", "s", "--no-perform-hpo")
    unset = request("personalize", "create-solution", "--name", "s")
    assert on.HasField("perform_hpo") and on.perform_hpo is True
    assert off.HasField("perform_hpo") and off.perform_hpo is False
    assert not unset.HasField("perform_hpo")
    auto = request("personalize", "create-solution", "--perform-auto-ml")
    assert auto.perform_auto_ml is True and not auto.HasField("perform_hpo")


def test_boolean_flag_takes_no_value() -> None:
    rc, _, err = run("personalize", "create-solution", "--perform-hpo", "true")
    assert rc == 2
    assert "--perform-hpo" in err


def test_repeated_string_takes_several_values() -> None:
    got = request(
        "personalize-runtime",
        "get-personalized-ranking",
        "--campaign-arn",
        CAMPAIGN_ARN,
        "--input-list",
        "i1",
        "i2",
        "i3",
        "--user-id",
        "u1",
    )
    assert list(got.input_list) == ["i1", "i2", "i3"]
    assert got.user_id == "u1" and got.campaign_arn == CAMPAIGN_ARN


def test_repeated_string_needs_a_value_and_scalars_take_exactly_one() -> None:
    rc, _, err = run("personalize-runtime", "get-personalized-ranking", "--input-list")
    assert rc == 2 and "--input-list" in err
    rc, _, err = run("personalize-runtime", "get-personalized-ranking", "--user-id", "a", "b")
    assert rc == 2 and "--user-id" in err


def test_json_message_and_repeated_message_options_in_aws_shape() -> None:
    config = {
        "eventValueThreshold": "0.5",
        "hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": "4"}},
        "algorithmHyperParameters": {"hidden_dimension": "64"},
    }
    got = request(
        "personalize",
        "create-solution",
        "--name",
        "s",
        "--solution-config",
        json.dumps(config),
        "--tags",
        '[{"tagKey":"a","tagValue":"b"},{"tagKey":"c","tagValue":"d"}]',
    )
    assert got.solution_config.event_value_threshold == "0.5"
    assert got.solution_config.hpo_config.hpo_resource_config.max_number_of_training_jobs == "4"
    assert dict(got.solution_config.algorithm_hyper_parameters) == {"hidden_dimension": "64"}
    assert list(got.tags) == [
        pb.Tag(tag_key="a", tag_value="b"),
        pb.Tag(tag_key="c", tag_value="d"),
    ]


def test_maps_including_list_values() -> None:
    got = request(
        "personalize-runtime",
        "get-recommendations",
        "--campaign-arn",
        CAMPAIGN_ARN,
        "--num-results",
        "7",
        "--filter-values",
        '{"A":"\\"x\\""}',
        "--context",
        '{"DEVICE":"phone"}',
        "--metadata-columns",
        '{"ITEMS":["genre","price"]}',
    )
    assert got.num_results == 7
    assert dict(got.filter_values) == {"A": '"x"'}
    assert dict(got.context) == {"DEVICE": "phone"}
    expected = struct_pb2.ListValue()
    expected.extend(["genre", "price"])
    assert got.metadata_columns["ITEMS"] == expected


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--tags", "not json"),
        ("--tags", '[{"tagKey":"a","bogus":"b"}]'),
        ("--tags", '{"tagKey":"a"}'),
        ("--solution-config", '{"eventValueThreshold": {"nested": 1}}'),
    ],
)
def test_bad_json_value_is_a_usage_error_naming_the_option(option: str, value: str) -> None:
    rc, out, err = run("personalize", "create-solution", "--name", "s", option, value)
    assert rc == 2
    assert out == ""
    assert option in err


def test_cli_input_json_supplies_the_request_and_options_override_it() -> None:
    body = {
        "name": "from-json",
        "roleArn": "arn:aws:iam::000000000000:role/json",
        "tags": [{"tagKey": "k", "tagValue": "v"}],
    }
    got = request(
        "personalize",
        "create-dataset-group",
        "--name",
        "from-cli",
        "--cli-input-json",
        json.dumps(body),
    )
    assert got == pb.CreateDatasetGroupRequest(
        name="from-cli",
        role_arn="arn:aws:iam::000000000000:role/json",
        tags=[pb.Tag(tag_key="k", tag_value="v")],
    )


def test_option_overrides_cli_input_json_key_spelled_as_proto_field() -> None:
    body = {"campaignArn": CAMPAIGN_ARN, "min_provisioned_tps": 3}
    got = request(
        "personalize",
        "update-campaign",
        "--cli-input-json",
        json.dumps(body),
        "--min-provisioned-tps",
        "9",
    )
    assert got == pb.UpdateCampaignRequest(campaign_arn=CAMPAIGN_ARN, min_provisioned_tps=9)


def test_values_and_cli_input_json_can_come_from_files(tmp_path) -> None:
    (tmp_path / "req.json").write_text(json.dumps({"name": "s", "datasetGroupArn": DSG_ARN}))
    (tmp_path / "cfg.json").write_text('{"eventValueThreshold": "1"}')
    got = request(
        "personalize",
        "create-solution",
        f"--cli-input-json=file://{tmp_path / 'req.json'}",
        "--solution-config",
        f"file://{tmp_path / 'cfg.json'}",
    )
    assert got.name == "s" and got.dataset_group_arn == DSG_ARN
    assert got.solution_config.event_value_threshold == "1"
    rc, _, err = run("personalize", "create-solution", "--cli-input-json", "file:///no/such")
    assert rc == 2 and "--cli-input-json" in err


@pytest.mark.parametrize(
    "body", ['{"name": "s", "unknownMember": 1}', "[1, 2]", "{not json", '{"name": 5}']
)
def test_bad_cli_input_json_is_a_usage_error(body: str) -> None:
    rc, out, err = run("personalize", "create-dataset-group", "--cli-input-json", body)
    assert rc == 2
    assert out == ""
    assert "--cli-input-json" in err


def test_unknown_option_is_a_usage_error_naming_it() -> None:
    rc, out, err = run("personalize", "create-dataset-group", "--name", "x", "--nmae", "y")
    assert rc == 2
    assert out == ""
    assert "--nmae" in err
    # An option of another operation is unknown here too.
    rc, _, err = run("personalize", "create-dataset-group", "--campaign-arn", CAMPAIGN_ARN)
    assert rc == 2 and "--campaign-arn" in err
    # So is the negation of a non-boolean option.
    rc, _, err = run("personalize", "create-dataset-group", "--no-name")
    assert rc == 2 and "--no-name" in err


def test_unknown_operation_service_and_stray_value_are_usage_errors() -> None:
    rc, _, err = run("personalize", "create-dataset-groups")
    assert rc == 2 and "create-dataset-groups" in err
    rc, _, err = run("personalize-events", "get-recommendations")
    assert rc == 2 and "get-recommendations" in err
    rc, _, err = run("personalise", "list-recipes")
    assert rc == 2 and "personalise" in err
    rc, _, err = run("personalize", "list-recipes", "stray")
    assert rc == 2 and "stray" in err


def test_read_timeout_option() -> None:
    assert build_request("personalize", ["list-recipes"]).timeout == DEFAULT_READ_TIMEOUT_S == 60
    assert build_request("personalize", ["list-recipes", "--cli-read-timeout", "5"]).timeout == 5
    assert build_request("personalize", ["list-recipes", "--cli-read-timeout", "0"]).timeout is None
    rc, _, err = run("personalize", "list-recipes", "--cli-read-timeout", "-1")
    assert rc == 2 and "--cli-read-timeout" in err


# --- help -----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["help", "--help"])
def test_service_help_lists_every_operation(word: str) -> None:
    rc, out, err = run("personalize", word)
    assert rc == 0 and err == ""
    listed = {line.strip() for line in out.splitlines() if line.startswith("  ")}
    assert listed == set(operations("personalize"))
    rc, out, _ = run("personalize-runtime", word)
    assert {"get-recommendations", "get-personalized-ranking"} <= set(out.split())


def test_no_operation_prints_help_to_stderr_and_fails() -> None:
    rc, out, err = run("personalize")
    assert rc == 2 and out == ""
    assert "create-dataset-group" in err


def test_operation_help_lists_options_with_types_and_required_marks() -> None:
    rc, out, _ = run("personalize", "create-solution", "--help")
    assert rc == 0
    lines = {line.split("  (")[0].strip(): line for line in out.splitlines()}
    assert lines["--name <string>"].endswith("(required)")
    assert lines["--dataset-group-arn <string>"].endswith("(required)")
    assert not lines["--recipe-arn <string>"].endswith("(required)")
    assert "--perform-hpo | --no-perform-hpo" in lines
    assert "--solution-config <JSON SolutionConfig>" in lines
    assert "--tags <JSON list of Tag>" in lines
    assert any(line.startswith("--cli-input-json") for line in lines)
    _, out, _ = run("personalize-runtime", "get-personalized-ranking", "help")
    lines = {line.split("  (")[0].strip(): line for line in out.splitlines()}
    assert lines["--input-list <string ...>"].endswith("(required)")
    assert lines["--user-id <string>"].endswith("(required)")
    assert "--metadata-columns <JSON map<string, ListValue>>" in lines
    assert "--context <JSON map<string, string>>" in lines
    _, out, _ = run("personalize", "update-campaign", "--help")
    assert "--min-provisioned-tps <integer>" in out
    _, out, _ = run("personalize", "create-dataset-group", "--help")
    assert "--domain <string: ECOMMERCE|VIDEO_ON_DEMAND>" in out


def test_required_flag_is_read_from_the_constraint_rule() -> None:
    fields = pb.CreateDatasetGroupRequest.DESCRIPTOR.fields_by_name
    assert is_required(fields["name"]) and not is_required(fields["role_arn"])
    fields = runtime_pb.GetRecommendationsRequest.DESCRIPTOR.fields_by_name
    assert not any(is_required(f) for f in fields.values())
    required = {
        f.name for f in runtime_pb.GetPersonalizedRankingRequest.DESCRIPTOR.fields if is_required(f)
    }
    assert required == {"campaign_arn", "input_list", "user_id"}


# --- transport and error handling, against a stub in-process gRPC server ------------------


class StubPersonalize:
    """Generic-handler stub of a few Personalize/PersonalizeRuntime methods."""

    def __init__(self) -> None:
        self.received: list[tuple[str, object, float | None]] = []
        self.release = threading.Event()

    def _record(self, name: str, req: object, context: grpc.ServicerContext) -> None:
        self.received.append((name, req, context.time_remaining()))

    def create_dataset_group(self, req, context):
        self._record("CreateDatasetGroup", req, context)
        return pb.CreateDatasetGroupResponse(dataset_group_arn=DSG_ARN, domain=req.domain)

    def describe_campaign(self, req, context):
        self._record("DescribeCampaign", req, context)
        return pb.DescribeCampaignResponse(
            campaign=pb.Campaign(
                campaign_arn=req.campaign_arn,
                min_provisioned_tps=2,
                creation_date_time=1700000000.5,
                campaign_config=pb.CampaignConfig(enable_metadata_with_recommendations=True),
            )
        )

    def describe_dataset_group(self, req, context):
        self._record("DescribeDatasetGroup", req, context)
        info = error_details_pb2.ErrorInfo(reason="ResourceNotFoundException", domain="tailor")
        detail = any_pb2.Any()
        detail.Pack(info)
        message = f"ResourceNotFoundException: Could not find dataset group {req.dataset_group_arn}"
        context.abort_with_status(
            rpc_status.to_status(
                status_pb2.Status(code=code_pb2.NOT_FOUND, message=message, details=[detail])
            )
        )

    def list_recipes(self, req, context):
        self._record("ListRecipes", req, context)
        context.abort(grpc.StatusCode.INTERNAL, "disk on fire")

    def describe_recipe(self, req, context):
        self._record("DescribeRecipe", req, context)
        self.release.wait(10)
        return pb.DescribeRecipeResponse()

    def get_recommendations(self, req, context):
        self._record("GetRecommendations", req, context)
        return runtime_pb.GetRecommendationsResponse(
            item_list=[runtime_pb.PredictedItem(item_id="i1", score=0.75)],
            recommendation_id="rid",
        )


def _handler(fn, request_class, response_class):
    return grpc.unary_unary_rpc_method_handler(
        fn,
        request_deserializer=request_class.FromString,
        response_serializer=response_class.SerializeToString,
    )


@pytest.fixture()
def stub_server() -> Iterator[tuple[str, StubPersonalize]]:
    stub = StubPersonalize()
    methods = {
        "CreateDatasetGroup": (stub.create_dataset_group, "CreateDatasetGroup"),
        "DescribeCampaign": (stub.describe_campaign, "DescribeCampaign"),
        "DescribeDatasetGroup": (stub.describe_dataset_group, "DescribeDatasetGroup"),
        "ListRecipes": (stub.list_recipes, "ListRecipes"),
        "DescribeRecipe": (stub.describe_recipe, "DescribeRecipe"),
    }
    personalize = grpc.method_handlers_generic_handler(
        "tailor.personalize.v1.Personalize",
        {
            name: _handler(fn, getattr(pb, f"{op}Request"), getattr(pb, f"{op}Response"))
            for name, (fn, op) in methods.items()
        },
    )
    runtime = grpc.method_handlers_generic_handler(
        "tailor.personalize_runtime.v1.PersonalizeRuntime",
        {
            "GetRecommendations": _handler(
                stub.get_recommendations,
                runtime_pb.GetRecommendationsRequest,
                runtime_pb.GetRecommendationsResponse,
            )
        },
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((personalize, runtime))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", stub
    finally:
        stub.release.set()
        server.stop(grace=None)


def test_cli_transport_sends_the_request_and_prints_the_response(stub_server) -> None:
    endpoint, stub = stub_server
    rc, out, err = run(
        "personalize",
        "create-dataset-group",
        "--name",
        "shop",
        "--domain",
        "VIDEO_ON_DEMAND",
        endpoint=endpoint,
    )
    assert (rc, err) == (0, "")
    assert json.loads(out) == {"datasetGroupArn": DSG_ARN, "domain": "VIDEO_ON_DEMAND"}
    assert out.startswith("{\n    ")  # indented like the AWS CLI
    name, received, remaining = stub.received[-1]
    assert name == "CreateDatasetGroup"
    assert received == pb.CreateDatasetGroupRequest(name="shop", domain="VIDEO_ON_DEMAND")
    assert remaining is not None and 50 < remaining <= 60  # default 60 s read timeout


def test_cli_transport_prints_aws_member_names_and_double_timestamps(stub_server) -> None:
    endpoint, stub = stub_server
    rc, out, _ = run(
        "personalize",
        "describe-campaign",
        "--campaign-arn",
        CAMPAIGN_ARN,
        "--cli-read-timeout",
        "5",
        endpoint=endpoint,
    )
    assert rc == 0
    assert json.loads(out) == {
        "campaign": {
            "campaignArn": CAMPAIGN_ARN,
            "minProvisionedTPS": 2,
            "creationDateTime": 1700000000.5,
            "campaignConfig": {"enableMetadataWithRecommendations": True},
        }
    }
    assert stub.received[-1][2] < 6  # the 5 s option, not the 60 s default (clock slack allowed)


def test_cli_transport_routes_runtime_service(stub_server) -> None:
    endpoint, stub = stub_server
    rc, out, _ = run(
        "personalize-runtime",
        "get-recommendations",
        "--campaign-arn",
        CAMPAIGN_ARN,
        "--user-id",
        "u1",
        "--num-results",
        "1",
        endpoint=endpoint,
    )
    assert rc == 0
    assert json.loads(out) == {
        "itemList": [{"itemId": "i1", "score": 0.75}],
        "recommendationId": "rid",
    }
    assert stub.received[-1][1] == runtime_pb.GetRecommendationsRequest(
        campaign_arn=CAMPAIGN_ARN, user_id="u1", num_results=1
    )


def test_cli_error_handling_reports_aws_exception_from_error_info(stub_server) -> None:
    endpoint, _ = stub_server
    rc, out, err = run(
        "personalize", "describe-dataset-group", "--dataset-group-arn", DSG_ARN, endpoint=endpoint
    )
    assert rc == 254
    assert out == ""
    assert err.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the DescribeDatasetGroup "
        f"operation: Could not find dataset group {DSG_ARN}"
    )


def test_cli_error_handling_falls_back_to_grpc_code_without_error_info(stub_server) -> None:
    endpoint, _ = stub_server
    rc, out, err = run("personalize", "list-recipes", endpoint=endpoint)
    assert rc == 254
    assert out == ""
    assert err.strip() == (
        "An error occurred (INTERNAL) when calling the ListRecipes operation: disk on fire"
    )


def test_cli_error_handling_unimplemented_method(stub_server) -> None:
    endpoint, _ = stub_server
    rc, _, err = run("personalize", "list-campaigns", endpoint=endpoint)
    assert rc == 254
    assert "An error occurred (UNIMPLEMENTED) when calling the ListCampaigns operation" in err


def test_cli_error_handling_read_timeout(stub_server) -> None:
    endpoint, _ = stub_server
    started = time.monotonic()
    rc, out, err = run(
        "personalize",
        "describe-recipe",
        "--recipe-arn",
        "arn:aws:personalize:::recipe/x",
        "--cli-read-timeout",
        "0.3",
        endpoint=endpoint,
    )
    assert rc == 255
    assert out == ""
    assert f"Read timeout on Tailor at {endpoint}" in err
    assert time.monotonic() - started < 5


def test_cli_transport_connection_failure() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        endpoint = f"127.0.0.1:{sock.getsockname()[1]}"
    rc, out, err = run("personalize", "list-recipes", endpoint=endpoint)
    assert rc == 255
    assert out == ""
    assert f"Could not connect to Tailor at {endpoint}" in err


def test_response_json_round_trips_into_the_response_message(stub_server) -> None:
    endpoint, _ = stub_server
    _, out, _ = run(
        "personalize", "describe-campaign", "--campaign-arn", CAMPAIGN_ARN, endpoint=endpoint
    )
    parsed = json_format.Parse(out, pb.DescribeCampaignResponse())
    assert parsed.campaign.min_provisioned_tps == 2
