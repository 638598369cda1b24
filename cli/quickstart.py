"""``tailor quickstart``: the whole workflow against a running Tailor, on a generated sample shop.

Creates a dataset group with Interactions, Items and Users datasets, imports generated CSVs,
trains aws-user-personalization, deploys a campaign, shows one user's recommendations, streams
purchases of a category the user never touched with PutEvents, shows how the recommendations
follow, and calls two filters. Every call goes over gRPC, as any client's would.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import grpc
from google.protobuf import json_format

from cli.aws_commands import EXIT_CONNECTION_ERROR, EXIT_SERVICE_ERROR, aws_error_reason
from cli.import_command import data_location, progress_line
from cli.sample_shop import CATEGORIES, SCHEMAS, Shop, generate_shop
from servicekit.aws_json import message_to_aws
from tailor_api.v1 import (
    personalize_events_pb2,
    personalize_events_pb2_grpc,
    personalize_pb2,
    personalize_pb2_grpc,
    personalize_runtime_pb2,
    personalize_runtime_pb2_grpc,
)

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"
FINISHED = {"ACTIVE", "CREATE FAILED", "CREATE STOPPED"}
EXCLUDE_PURCHASED = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
INCLUDE_CATEGORY = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"
STREAMED_EVENTS = 5
TOP = 10


class CallFailed(Exception):
    """An API call the quickstart made was refused; carries the operation and the gRPC error."""

    def __init__(self, operation: str, error: grpc.RpcError) -> None:
        super().__init__(operation)
        self.operation = operation
        self.error = error


class _Api:
    """Calls the three Tailor services with AWS-shaped dicts and answers AWS-shaped dicts."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._services = {
            "personalize": (personalize_pb2, personalize_pb2_grpc.PersonalizeStub(channel)),
            "events": (
                personalize_events_pb2,
                personalize_events_pb2_grpc.PersonalizeEventsStub(channel),
            ),
            "runtime": (
                personalize_runtime_pb2,
                personalize_runtime_pb2_grpc.PersonalizeRuntimeStub(channel),
            ),
        }

    def __call__(self, operation: str, service: str = "personalize", **request: Any) -> dict:
        module, stub = self._services[service]
        message = json_format.ParseDict(request, getattr(module, f"{operation}Request")())
        try:
            return message_to_aws(getattr(stub, operation)(message, timeout=60))
        except grpc.RpcError as error:
            raise CallFailed(operation, error) from error


class _Console:
    """Numbered steps and progress lines (rewritten in place on a terminal)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.step_number = 0
        self.interactive = out.isatty()

    def step(self, text: str) -> None:
        self.step_number += 1
        print(f"{self.step_number:>2}. {text}", file=self.out, flush=True)

    def line(self, text: str = "") -> None:
        print(f"    {text}" if text else "", file=self.out, flush=True)

    def wait(
        self, label: str, describe: Callable[[], dict], render: Callable[[dict], str], poll: float
    ) -> dict:
        """Poll ``describe`` until its status is final, showing ``render``'s line and the time."""
        started, last = time.monotonic(), ""
        while True:
            state = describe()
            elapsed = time.monotonic() - started
            text = f"{label}: {render(state)}"
            if self.interactive:
                print(f"\r    {text} ({elapsed:4.1f}s)", end="", file=self.out, flush=True)
            elif text != last:
                print(f"    {text} ({elapsed:.1f}s)", file=self.out, flush=True)
            last = text
            if state.get("status") in FINISHED:
                if self.interactive:
                    print(file=self.out)
                if state["status"] != "ACTIVE":
                    raise RuntimeError(f"{label} {state['status']}: {state.get('failureReason')}")
                return state
            time.sleep(poll)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tailor quickstart",
        description="Walk the whole workflow against a running Tailor (`make run`) on a "
        "generated sample shop: datasets, import, training, campaign, recommendations, "
        "PutEvents and filters. The server reads the CSVs through file://, so run it on the "
        "server's machine. When a dataset group of that name exists, a short random suffix is "
        "appended, so every run starts from fresh resources.",
    )
    parser.add_argument("--name", default="quickstart-shop", help="dataset group name")
    parser.add_argument("--users", type=int, default=500, help="users (default 500)")
    parser.add_argument("--items", type=int, default=300, help="items (default 300)")
    parser.add_argument("--days", type=int, default=90, help="days of events (default 90)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--data-dir", help="where the CSVs are written (default: a temp dir)")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help=argparse.SUPPRESS)
    return parser


def run_quickstart(
    argv: list[str],
    *,
    endpoint: str,
    stdout: TextIO,
    stderr: TextIO,
    summary: dict[str, Any] | None = None,
) -> int:
    """Run the quickstart against the Tailor at ``endpoint``.

    Args:
        argv: The options after ``tailor quickstart``.
        endpoint: ``host:port`` of the running Tailor.
        stdout: Where the steps are printed.
        stderr: Where errors are printed.
        summary: When given, filled with what was shown (user, categories, recommendation
            lists, filtered lists, ARNs) for callers that check it.

    Returns:
        0 on success; 1 when a job failed; 254 when the server refused a call; 255 when
        Tailor could not be reached.
    """
    args = _parser().parse_args(argv)
    summary = {} if summary is None else summary
    started = time.monotonic()
    with grpc.insecure_channel(endpoint) as channel:
        try:
            _walk(_Api(channel), args, _Console(stdout), summary)
        except CallFailed as failed:
            error = failed.error
            reason = aws_error_reason(error)
            if reason is None and error.code() == grpc.StatusCode.UNAVAILABLE:
                print(f"Could not connect to Tailor at {endpoint}: {error.details()}", file=stderr)
                print("Start it first, in another terminal: make run", file=stderr)
                return EXIT_CONNECTION_ERROR
            name = reason or error.code().name
            message = (error.details() or "").removeprefix(f"{name}: ")
            print(
                f"An error occurred ({name}) when calling the {failed.operation} operation: "
                f"{message}",
                file=stderr,
            )
            return EXIT_SERVICE_ERROR
        except RuntimeError as failed:
            print(f"quickstart failed: {failed}", file=stderr)
            return 1
    summary["seconds"] = time.monotonic() - started
    print(f"\nDone in {summary['seconds']:.0f}s.", file=stdout, flush=True)
    return 0


def _walk(api: _Api, args: argparse.Namespace, con: _Console, summary: dict[str, Any]) -> None:
    arns: dict[str, str] = {}
    summary["arns"] = arns
    now = int(time.time())
    shop = generate_shop(
        users=args.users, items=args.items, days=args.days, seed=args.seed, now=now
    )

    name = args.name
    try:
        group = api("CreateDatasetGroup", name=name)["datasetGroupArn"]
    except CallFailed as failed:
        if aws_error_reason(failed.error) != "ResourceAlreadyExistsException":
            raise
        name = f"{args.name}-{uuid.uuid4().hex[:4]}"
        group = api("CreateDatasetGroup", name=name)["datasetGroupArn"]
    arns["datasetGroup"] = group
    con.step(f"Created dataset group {name}: {group}")

    datasets = {}
    for dataset_type, schema in SCHEMAS.items():
        lower = dataset_type.lower()
        schema_arn = api("CreateSchema", name=f"{name}-{lower}", schema=schema)["schemaArn"]
        datasets[dataset_type] = api(
            "CreateDataset",
            name=f"{name}-{lower}",
            schemaArn=schema_arn,
            datasetGroupArn=group,
            datasetType=dataset_type,
        )["datasetArn"]
        arns[f"{lower}Schema"], arns[f"{lower}Dataset"] = schema_arn, datasets[dataset_type]
    con.step(
        "Created schemas and datasets: Interactions (USER_ID, ITEM_ID, TIMESTAMP, "
        "EVENT_TYPE), Items (ITEM_ID, CATEGORY, PRICE, CREATION_TIMESTAMP), Users "
        "(USER_ID, MEMBERSHIP)"
    )

    directory = Path(args.data_dir or tempfile.mkdtemp(prefix="tailor-quickstart-"))
    paths = shop.write_csvs(directory)
    con.step(
        f"Wrote a sample shop to {directory}: {len(shop.membership_of):,} users, "
        f"{len(shop.category_of):,} items in {len(CATEGORIES)} categories, "
        f"{len(shop.events):,} events over {args.days} days"
    )

    con.step("Importing the three CSVs")
    for dataset_type, path in paths.items():
        job = api(
            "CreateDatasetImportJob",
            jobName=f"{name}-{dataset_type.lower()}-{now}",
            datasetArn=datasets[dataset_type],
            dataSource={"dataLocation": data_location(str(path))},
        )["datasetImportJobArn"]
        con.wait(
            f"{dataset_type:<12}",
            lambda job=job: api("DescribeDatasetImportJob", datasetImportJobArn=job)[
                "datasetImportJob"
            ],
            progress_line,
            args.poll_seconds,
        )

    tracker = api("CreateEventTracker", name=f"{name}-tracker", datasetGroupArn=group)
    arns["eventTracker"] = tracker["eventTrackerArn"]
    con.step(f"Created an event tracker: trackingId {tracker['trackingId']}")

    solution = api("CreateSolution", name=f"{name}-up", datasetGroupArn=group, recipeArn=RECIPE)
    arns["solution"] = solution["solutionArn"]
    version = api("CreateSolutionVersion", solutionArn=solution["solutionArn"])
    arns["solutionVersion"] = version["solutionVersionArn"]
    con.step("Training aws-user-personalization (CreateSolution, CreateSolutionVersion)")
    con.wait(
        "solution version",
        lambda: api("DescribeSolutionVersion", solutionVersionArn=arns["solutionVersion"])[
            "solutionVersion"
        ],
        lambda state: state["status"],
        args.poll_seconds,
    )
    metrics = api("GetSolutionMetrics", solutionVersionArn=arns["solutionVersion"])["metrics"]
    summary["metrics"] = metrics
    con.line(
        f"offline metrics: NDCG@10 "
        f"{metrics.get('normalized_discounted_cumulative_gain_at_10', float('nan')):.3f}, "
        f"precision@10 {metrics.get('precision_at_10', float('nan')):.3f}"
    )

    campaign = api(
        "CreateCampaign",
        name=f"{name}-campaign",
        solutionVersionArn=arns["solutionVersion"],
        minProvisionedTPS=1,
        campaignConfig={"enableMetadataWithRecommendations": True},
    )["campaignArn"]
    arns["campaign"] = campaign
    con.step("Deploying a campaign (CreateCampaign, metadata enabled)")
    con.wait(
        "campaign",
        lambda: api("DescribeCampaign", campaignArn=campaign)["campaign"],
        lambda state: state["status"],
        args.poll_seconds,
    )

    _recommend_stream_filter(api, con, shop, arns, tracker["trackingId"], summary, now)


def _recommend_stream_filter(
    api: _Api,
    con: _Console,
    shop: Shop,
    arns: dict[str, str],
    tracking_id: str,
    summary: dict[str, Any],
    now: int,
) -> None:
    campaign = arns["campaign"]
    user, new_category = shop.demo_user()
    touched = shop.touched(user)
    summary.update(user=user, favourites=shop.favourites[user], new_category=new_category)

    def recommend(**extra: Any) -> list[tuple[str, str]]:
        response = api(
            "GetRecommendations",
            "runtime",
            campaignArn=campaign,
            userId=user,
            numResults=TOP,
            metadataColumns={"ITEMS": ["CATEGORY"]},
            **extra,
        )
        return [
            (
                entry["itemId"],
                entry.get("metadata", {}).get("CATEGORY")
                or shop.category_of.get(entry["itemId"], "?"),
            )
            for entry in response["itemList"]
        ]

    history = ", ".join(f"{category} {count}" for category, count in touched.most_common())
    con.step(
        f"Recommendations for {user}, who prefers {' and '.join(shop.favourites[user])} "
        f"(events by category: {history}); * marks {new_category}"
    )
    before = recommend()
    _show(con, before, new_category)
    summary["before"] = before

    streamed = shop.items_in(new_category)[:STREAMED_EVENTS]
    api(
        "PutEvents",
        "events",
        trackingId=tracking_id,
        userId=user,
        sessionId=f"quickstart-{user}",
        eventList=[
            {"eventType": "purchase", "itemId": item, "sentAt": now + n}
            for n, item in enumerate(streamed)
        ],
    )
    summary["streamed"] = streamed
    con.step(
        f"Streamed {len(streamed)} purchases of {new_category} items with PutEvents: "
        f"{', '.join(streamed)}"
    )
    after = recommend()
    summary["after"] = after
    con.line(
        f"the recommendations now ({_count(after, new_category)} of {len(after)} "
        f"from {new_category}, before {_count(before, new_category)}):"
    )
    _show(con, after, new_category)

    base = arns["datasetGroup"].rsplit("/", 1)[-1]
    no_purchases = api(
        "CreateFilter",
        name=f"{base}-no-purchases",
        datasetGroupArn=arns["datasetGroup"],
        filterExpression=EXCLUDE_PURCHASED,
    )["filterArn"]
    by_category = api(
        "CreateFilter",
        name=f"{base}-category",
        datasetGroupArn=arns["datasetGroup"],
        filterExpression=INCLUDE_CATEGORY,
    )["filterArn"]
    arns.update(filterNoPurchases=no_purchases, filterCategory=by_category)
    con.step("Created two filters (CreateFilter)")
    for label, arn in (("no purchases", no_purchases), ("by category", by_category)):
        con.wait(
            f"{label:<12}",
            lambda arn=arn: api("DescribeFilter", filterArn=arn)["filter"],
            lambda state: state["status"],
            0.2,
        )
    con.step(f"Filtered with {EXCLUDE_PURCHASED}")
    excluded = recommend(filterArn=no_purchases)
    purchased = shop.purchased(user) | set(streamed)
    summary.update(excluded=excluded, purchased=sorted(purchased))
    _show(con, excluded, new_category)
    con.line(
        f"none of the {len(purchased)} items {user} bought is among them: "
        f"{not purchased & {item for item, _ in excluded}}"
    )
    wanted = sorted(set(CATEGORIES) - set(shop.favourites[user]) - {new_category})[0]
    con.step(f'Filtered with {INCLUDE_CATEGORY} and CATEGORY = "{wanted}"')
    included = recommend(filterArn=by_category, filterValues={"CATEGORY": f'"{wanted}"'})
    summary.update(included=included, included_category=wanted)
    _show(con, included, new_category)

    con.step("Created (ARNs):")
    for key, arn in arns.items():
        con.line(f"{key:<20} {arn}")
    con.line()
    con.line("Clean up with the same CLI, e.g.:")
    con.line(f"tailor personalize delete-campaign --campaign-arn {campaign}")
    con.line(f"tailor personalize delete-solution --solution-arn {arns['solution']}")
    con.line("... then the filters, event tracker, datasets, schemas and dataset group.")


def _count(listed: list[tuple[str, str]], category: str) -> int:
    return sum(1 for _, cat in listed if cat == category)


def _show(con: _Console, listed: list[tuple[str, str]], highlight: str) -> None:
    cells = [
        f"{item} ({category}{' *' if category == highlight else ''})" for item, category in listed
    ]
    for start in range(0, len(cells), 5):
        con.line("  " + ", ".join(cells[start : start + 5]))
