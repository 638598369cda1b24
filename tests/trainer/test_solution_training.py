"""CreateSolutionVersion trains: through real gRPC, with the in-process trainer worker.

The interactions have planted structure: four user groups, each interacting only with its own
block of items, so a personalization model can find a user's block and popularity cannot.
"""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import numpy as np
import pytest
from pyarrow import fs

from recipes.artifact_format import ArtifactFormatError
from recipes.evaluation import aws_split, evaluate
from recipes.fitting import fit_recipe
from recipes.histories import histories_from_lists
from recipes.interactions import lookup_codes, make_interactions
from recipes.personalization import EASE_MAX_ITEMS, PersonalizationModel, recommend
from recipes.popularity import PopularityModel, fit_popularity_count
from storage.artifacts import open_artifact_store
from storage.data.filesystems import s3_filesystem
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.trainer.import_fixtures import HEADER, T0, make_datasets, run_import, write
from trainer.solution_training import ARTIFACT_MEMBER, EVENT_SEQ_MEMBER
from trainer.training_data import load_training_data

UP = "arn:aws:personalize:::recipe/aws-user-personalization"
POPULARITY = "arn:aws:personalize:::recipe/aws-popularity-count"
METRIC_KEYS = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
}
BLOCKS, USERS_PER_BLOCK, ITEMS_PER_BLOCK, EVENTS_PER_USER = 4, 30, 20, 12
FINAL = {"ACTIVE", "CREATE FAILED", "CREATE STOPPED"}


def block_of(item_id: str) -> str:
    """``b2`` for item ``b2-i7``."""
    return item_id.split("-")[0]


def planted_lines() -> list[str]:
    """1,440 interactions: user ``b{k}-u{j}`` picks 12 distinct items of block ``b{k}``."""
    rng = np.random.default_rng(7)
    lines = [HEADER]
    n = 0
    for block in range(BLOCKS):
        for user in range(USERS_PER_BLOCK):
            for item in rng.choice(ITEMS_PER_BLOCK, EVENTS_PER_USER, replace=False):
                lines.append(f"b{block}-u{user},b{block}-i{item},{T0 + n},click,1.0,,e{n}")
                n += 1
    return lines


def few_users_lines() -> list[str]:
    """1,000 interactions from only 10 users: fewer than 25 users with two or more."""
    lines = [HEADER]
    for n in range(1000):
        lines.append(f"few-u{n % 10},few-i{n % 50},{T0 + n},click,1.0,,f{n}")
    return lines


def wait_version(stub, arn: str, seconds: float = 60.0) -> dict:
    """Poll DescribeSolutionVersion until the version reaches a final status."""
    deadline = time.monotonic() + seconds
    while True:
        version = call(stub, "DescribeSolutionVersion", solutionVersionArn=arn)["solutionVersion"]
        if version["status"] in FINAL:
            return version
        assert time.monotonic() < deadline, f"{arn} still {version['status']}"
        time.sleep(0.1)


def train(stub, group: str, name: str, recipe: str, **solution) -> tuple[str, dict]:
    """Create a solution and a version of it; wait for the version to finish."""
    solution_arn = call(
        stub, "CreateSolution", name=name, datasetGroupArn=group, recipeArn=recipe, **solution
    )["solutionArn"]
    arn = call(stub, "CreateSolutionVersion", solutionArn=solution_arn)["solutionVersionArn"]
    return arn, wait_version(stub, arn)


@pytest.fixture
def planted(personalize, tmp_path: Path) -> dict[str, str]:
    """A dataset group whose Interactions hold the planted data."""
    arns = make_datasets(personalize)
    job = run_import(
        personalize, arns["Interactions"], write(tmp_path / "in.csv", planted_lines()), "bulk"
    )
    assert job["status"] == "ACTIVE", job
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"]
    return {**arns, "group": group["datasetGroupArn"]}


def test_versions_train_evaluate_and_store_their_models(personalize, planted, data, tmp_path):
    hpo = {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "2"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "bptt", "minValue": 4, "maxValue": 16}]
        },
    }
    up_arn, up = train(
        personalize,
        planted["group"],
        "up",
        UP,
        performHPO=True,
        solutionConfig={"hpoConfig": hpo},
    )
    pop_arn, pop = train(personalize, planted["group"], "pop", POPULARITY)
    assert up["status"] == "ACTIVE", up.get("failureReason")
    assert pop["status"] == "ACTIVE", pop.get("failureReason")
    assert 0 < up["trainingHours"] < 60 / 3600
    assert ARTIFACT_MEMBER not in up and EVENT_SEQ_MEMBER not in up and "metrics" not in up
    tuned = up["tunedHPOParams"]["algorithmHyperParameters"]
    assert 4 <= int(tuned["bptt"]) <= 16
    assert "tunedHPOParams" not in pop

    up_metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=up_arn)["metrics"]
    pop_metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=pop_arn)["metrics"]
    assert set(up_metrics) == set(pop_metrics) == METRIC_KEYS
    for metrics in (up_metrics, pop_metrics):
        assert all(0.0 <= value <= 1.0 for value in metrics.values()), metrics
    ndcg = "normalized_discounted_cumulative_gain_at_10"
    assert up_metrics[ndcg] > 0.3
    assert up_metrics[ndcg] > 1.5 * pop_metrics[ndcg], (up_metrics, pop_metrics)
    assert up_metrics["coverage"] > pop_metrics["coverage"]

    document = data.store.get_resource(up_arn).document
    assert document["metrics"] == up_metrics
    uri = document[ARTIFACT_MEMBER]
    home = tmp_path / "home" / "artifacts"
    assert uri == f"file://{home.resolve()}/up/{up_arn.rsplit('/', 1)[-1]}"
    assert not [p for p in (home / "up").iterdir() if p.name.startswith(".")], "staging left"
    artifact = open_artifact_store(str(home)).open_artifact(uri)
    model = artifact.model
    assert isinstance(model, PersonalizationModel)
    assert any(isinstance(getattr(model, f), np.memmap) for f in vars(model))
    item_ids, user_ids = artifact.arrays["item_ids"], artifact.arrays["user_ids"]
    assert len(item_ids) == BLOCKS * ITEMS_PER_BLOCK
    assert len(user_ids) == BLOCKS * USERS_PER_BLOCK
    assert item_ids.dtype.kind == "U"
    for block in range(BLOCKS):
        seen = [f"b{block}-i{i}" for i in range(3)]
        history = histories_from_lists([lookup_codes(seen, item_ids)])
        codes, _ = recommend(model, history, 5)
        assert {block_of(item_ids[c]) for c in codes[0]} == {f"b{block}"}

    popular = data.store.get_resource(pop_arn).document[ARTIFACT_MEMBER]
    assert isinstance(open_artifact_store(str(home)).open_artifact(popular).model, PopularityModel)


def test_streamed_events_count_toward_training(personalize, events, data, tmp_path):
    arns = make_datasets(personalize)
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"][
        "datasetGroupArn"
    ]
    job = run_import(
        personalize, arns["Interactions"], write(tmp_path / "f.csv", few_users_lines()), "few"
    )
    assert job["status"] == "ACTIVE", job
    solution = call(
        personalize, "CreateSolution", name="pop", datasetGroupArn=group, recipeArn=POPULARITY
    )["solutionArn"]
    first = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    failed = wait_version(personalize, first)
    assert failed["status"] == "CREATE FAILED"
    assert "10 users with 2 or more interactions; at least 25" in failed["failureReason"]

    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)
    for user in range(20):
        call_events(
            events,
            "PutEvents",
            trackingId=tracker["trackingId"],
            userId=f"live-u{user}",
            sessionId=f"s{user}",
            eventList=[
                {"eventType": "click", "itemId": "live-item", "sentAt": T0 + 5000 + user},
                {"eventType": "click", "itemId": f"few-i{user}", "sentAt": T0 + 5001 + user},
            ],
        )
    second = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    trained = wait_version(personalize, second)
    assert trained["status"] == "ACTIVE", trained.get("failureReason")
    document = data.store.get_resource(second).document
    assert document[EVENT_SEQ_MEMBER] > 0
    artifact = open_artifact_store(str(tmp_path / "home" / "artifacts")).open_artifact(
        document[ARTIFACT_MEMBER]
    )
    assert {f"live-u{u}" for u in range(20)} <= set(artifact.arrays["user_ids"].tolist())
    assert "live-item" in set(artifact.arrays["item_ids"].tolist())
    # 20 users clicked live-item: the most popular item of the trained model.
    model = artifact.model
    assert artifact.arrays["item_ids"][int(np.argmax(model.item_scores))] == "live-item"


def test_too_little_data_fails_naming_what_is_missing(personalize, planted):
    arn, version = train(personalize, planted["group"], "buys", POPULARITY, eventType="purchase")
    assert version["status"] == "CREATE FAILED"
    reason = version["failureReason"]
    assert "after filtering by eventType 'purchase'" in reason
    assert "0 interactions; at least 1000 are needed" in reason
    assert "0 users with 2 or more interactions" in reason
    _, threshold = train(
        personalize,
        planted["group"],
        "valued",
        POPULARITY,
        solutionConfig={"eventValueThreshold": "2.5"},
    )
    assert "eventValueThreshold 2.5" in threshold["failureReason"]


def test_stopped_versions_end_stopped_without_a_model(personalize, planted, data, tmp_path):
    # 40 HPO trials keep the worker busy with the first version for a while.
    hpo = {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "40"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2, "maxValue": 32}],
            "categoricalHyperParameterRanges": [
                {"name": "recency_mask", "values": ["true", "false"]}
            ],
        },
    }
    solution = call(
        personalize,
        "CreateSolution",
        name="slow",
        datasetGroupArn=planted["group"],
        recipeArn=UP,
        performHPO=True,
        solutionConfig={"hpoConfig": hpo},
    )["solutionArn"]
    busy = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    deadline = time.monotonic() + 10
    while describe(personalize, busy)["status"] == "CREATE PENDING":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert describe(personalize, busy)["status"] == "CREATE IN_PROGRESS"
    # The single worker is busy: this one stays pending until it is stopped.
    pending = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    call(personalize, "StopSolutionVersionCreation", solutionVersionArn=pending)
    assert describe(personalize, pending)["status"] == "CREATE STOPPED"
    call(personalize, "StopSolutionVersionCreation", solutionVersionArn=busy)
    # The worker may settle the stop between our two calls; either way it must end STOPPED.
    assert describe(personalize, busy)["status"] in ("CREATE STOPPING", "CREATE STOPPED")
    assert wait_version(personalize, busy)["status"] == "CREATE STOPPED"
    assert wait_version(personalize, pending)["status"] == "CREATE STOPPED"
    for arn in (busy, pending):
        document = data.store.get_resource(arn).document
        assert ARTIFACT_MEMBER not in document and "metrics" not in document
    assert not (tmp_path / "home" / "artifacts" / "slow").exists()


def describe(stub, arn: str) -> dict:
    """DescribeSolutionVersion's body."""
    return call(stub, "DescribeSolutionVersion", solutionVersionArn=arn)["solutionVersion"]


def test_artifact_store_moves_complete_models_into_place(tmp_path):
    events = make_interactions(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2]))
    model = fit_popularity_count(events)
    store = open_artifact_store(f"file://{tmp_path}/artifacts")
    ids = np.array(["a", "b", "c"])
    uri = store.write_model("sol", "v1", model, extra_arrays={"item_ids": ids})
    assert uri == f"file://{tmp_path}/artifacts/sol/v1"
    assert sorted(p.name for p in (tmp_path / "artifacts" / "sol").iterdir()) == ["v1"]
    loaded = store.open_artifact(uri)
    assert loaded.arrays["item_ids"].tolist() == ["a", "b", "c"]
    assert isinstance(loaded.arrays["item_ids"], np.memmap)
    assert np.array_equal(loaded.model.item_scores, model.item_scores)
    second = fit_popularity_count(make_interactions(np.array([0]), np.array([2]), n_items=3))
    assert store.write_model("sol", "v1", second) == uri  # a rewrite replaces the whole directory
    assert store.open_artifact(uri).arrays == {}
    store.delete(uri)
    with pytest.raises(ArtifactFormatError):
        store.open_artifact(uri)
    with pytest.raises(ValueError):
        store.write_model("sol", "../v2", model)


def test_artifact_store_on_s3(s3_endpoint, tmp_path):
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(
        Bucket="models"
    )
    model = fit_popularity_count(make_interactions(np.array([0, 1]), np.array([1, 1]), n_items=2))
    store = open_artifact_store("s3://models/tailor", s3_endpoint)
    uri = store.write_model("sol", "v9", model, extra_arrays={"user_ids": np.array(["x", "y"])})
    assert uri == "s3://models/tailor/sol/v9"
    listed = s3_filesystem(s3_endpoint).get_file_info(fs.FileSelector("models/tailor/sol/v9"))
    assert "manifest.json" in {info.base_name for info in listed}
    loaded = store.open_artifact(uri)
    assert loaded.arrays["user_ids"].tolist() == ["x", "y"]
    assert np.array_equal(loaded.model.item_scores, model.item_scores)
    store.delete(uri)
    assert (
        s3_filesystem(s3_endpoint).get_file_info("models/tailor/sol/v9").type
        == fs.FileType.NotFound
    )


def test_als_versions_report_the_evaluation_model_and_serve_it_refreshed(
    personalize, data, tmp_path
):
    """A catalogue past EASE_MAX_ITEMS (filler items in the Items dataset) takes the ALS core.

    GetSolutionMetrics are exactly those of the model fitted on the split's training users; the
    stored model is that model refreshed on every event, not a second fit.
    """
    arns = make_datasets(personalize)
    items = ["ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP"]
    names = [f"b{b}-i{i}" for b in range(BLOCKS) for i in range(ITEMS_PER_BLOCK)]
    names += [f"filler-i{n}" for n in range(EASE_MAX_ITEMS)]
    items += [f"{name},g,1.0,true,text,{T0}" for name in names]
    for dataset, lines, name in (("Interactions", planted_lines(), "bulk"), ("Items", items, "it")):
        job = run_import(personalize, arns[dataset], write(tmp_path / f"{name}.csv", lines), name)
        assert job["status"] == "ACTIVE", job
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"][
        "datasetGroupArn"
    ]
    config = {"algorithmHyperParameters": {"hidden_dimension": "32"}}
    arn, version = train(personalize, group, "als", UP, solutionConfig=config)
    assert version["status"] == "ACTIVE", version.get("failureReason")

    document = data.store.get_resource(arn).document
    training = load_training_data(
        data.store, data.segments, document, group, document[EVENT_SEQ_MEMBER]
    )
    split = aws_split(training.interactions, seed=0)
    evaluated = fit_recipe(
        "aws-user-personalization",
        split.train,
        {"hidden_dimension": "32"},
        item_creation_timestamps=training.item_creation_timestamps,
    )
    assert evaluated.algorithm == "als"
    metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=arn)["metrics"]
    assert metrics == pytest.approx(evaluate(evaluated, split), abs=1e-12)

    home = tmp_path / "home" / "artifacts"
    artifact = open_artifact_store(str(home)).open_artifact(document[ARTIFACT_MEMBER])
    model, item_ids = artifact.model, artifact.arrays["item_ids"]
    assert model.algorithm == "als" and model.hyperparameters["core_refreshed"] is True
    assert model.n_items == len(item_ids) == BLOCKS * ITEMS_PER_BLOCK + EASE_MAX_ITEMS
    assert not np.array_equal(model.item_factors, evaluated.item_factors)
    for block in range(BLOCKS):
        seen = [f"b{block}-i{i}" for i in range(3)]
        codes, _ = recommend(model, histories_from_lists([lookup_codes(seen, item_ids)]), 5)
        assert {block_of(item_ids[c]) for c in codes[0]} == {f"b{block}"}
