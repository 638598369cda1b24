"""Shared by the batch job tests: planted data and job helpers."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.control_plane.aws_calls import call
from tests.trainer.import_fixtures import T0, make_datasets, run_import, write
from tests.trainer.test_solution_training import (
    BLOCKS,
    ITEMS_PER_BLOCK,
    planted_lines,
    wait_version,
)

RECIPE = "arn:aws:personalize:::recipe/"
ROLE = "arn:aws:iam::000000000000:role/personalize"
DONE = {"ACTIVE", "CREATE FAILED"}
ITEMS_HEADER = "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP"


def item_lines() -> list[str]:
    """Items ``b{k}-i{j}`` with GENRES ``g{k}``, plus ``odd`` for odd j."""
    lines = [ITEMS_HEADER]
    for block in range(BLOCKS):
        for item in range(ITEMS_PER_BLOCK):
            genres = f"g{block}|odd" if item % 2 else f"g{block}"
            lines.append(f"b{block}-i{item},{genres},1.0,true,text,{T0}")
    return lines


def user_lines() -> list[str]:
    """Users ``b{k}-u{j}`` of AGE j."""
    users = [f"b{block}-u{user},{user}" for block in range(BLOCKS) for user in range(30)]
    return ["USER_ID,AGE", *users]


def plant(personalize: Any, tmp_path: Path) -> dict[str, str]:
    """A dataset group with the planted interactions, their items and users; its ARNs."""
    arns = make_datasets(personalize)
    for dataset, lines, name in (
        ("Interactions", planted_lines(), "bulk"),
        ("Items", item_lines(), "items"),
        ("Users", user_lines(), "users"),
    ):
        location = write(tmp_path / f"{name}.csv", lines)
        job = run_import(personalize, arns[dataset], location, name)
        assert job["status"] == "ACTIVE", job
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"]
    return {**arns, "group": group["datasetGroupArn"]}


def trained(stub: Any, group: str, recipe: str, name: str | None = None) -> str:
    """An ACTIVE solution version of ``recipe`` (a recipe name) on the group's data."""
    solution = call(
        stub,
        "CreateSolution",
        name=name or recipe,
        datasetGroupArn=group,
        recipeArn=RECIPE + recipe,
    )["solutionArn"]
    arn = call(stub, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    version = wait_version(stub, arn)
    assert version["status"] == "ACTIVE", version.get("failureReason")
    return arn


def write_json_lines(path: Path, lines: list[Any]) -> str:
    """Write JSON lines (a str is written as it is); return the file's file:// URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return f"file://{path}"


def read_json_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of an output file, one per line."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def run_job(stub: Any, kind: str, seconds: float = 60.0, **request: Any) -> dict[str, Any]:
    """Create a batch inference (``kind="Inference"``) or segment job; wait for it to end."""
    created = call(stub, f"CreateBatch{kind}Job", roleArn=ROLE, **request)
    arn = created[f"batch{kind}JobArn"]
    deadline = time.monotonic() + seconds
    while True:
        job = call(stub, f"DescribeBatch{kind}Job", **{f"batch{kind}JobArn": arn})
        job = job[f"batch{kind}Job"]
        if job["status"] in DONE:
            return job
        assert time.monotonic() < deadline, f"{arn} still {job['status']}"
        time.sleep(0.05)


def job_paths(input_path: str, output_path: str) -> dict[str, Any]:
    """The jobInput / jobOutput members of a Create request."""
    return {
        "jobInput": {"s3DataSource": {"path": input_path}},
        "jobOutput": {"s3DataDestination": {"path": output_path}},
    }
