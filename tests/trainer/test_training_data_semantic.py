"""aws-semantic-similarity end to end: Items text in, a related-items campaign served out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from recipes.interactions import lookup_codes
from recipes.related_items import RelatedItemsModel, related
from storage.artifacts import open_artifact_store
from tests.control_plane.aws_calls import call
from tests.runtime_service.test_serving import ask, items_of, wait_campaign
from tests.trainer.import_fixtures import interaction_lines, make_datasets, run_import, write
from tests.trainer.test_solution_training import train
from trainer.solution_training import ARTIFACT_MEMBER

SEMANTIC = "arn:aws:personalize:::recipe/aws-semantic-similarity"
ITEMS = [
    "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP",
    'i0,Outdoor,,,"Waterproof hiking boots for the trail",1',
    'i1,Outdoor,,,"Hiking boots, waterproof leather",2',
    'i2,Kitchen,,,"Espresso coffee grinder",3',
    'i3,Kitchen,,,"Burr grinder for espresso coffee",4',
    'i4,Audio,,,"Wireless noise cancelling headphones",5',
    'i5,Audio,,,"Noise cancelling wireless headphones",6',
]


def test_semantic_similarity_trains_text_neighbours(personalize, runtime, data, tmp_path: Path):
    arns = make_datasets(personalize)
    lines = interaction_lines(1000)
    assert (
        run_import(personalize, arns["Interactions"], write(tmp_path / "i.csv", lines), "i")[
            "status"
        ]
        == "ACTIVE"
    )
    assert (
        run_import(personalize, arns["Items"], write(tmp_path / "t.csv", ITEMS), "t")["status"]
        == "ACTIVE"
    )
    group = call(personalize, "DescribeDataset", datasetArn=arns["Items"])["dataset"][
        "datasetGroupArn"
    ]
    arn, version = train(personalize, group, "sem", SEMANTIC)
    assert version["status"] == "ACTIVE", version.get("failureReason")
    metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=arn)["metrics"]
    assert "coverage" in metrics

    uri = data.store.get_resource(arn).document[ARTIFACT_MEMBER]
    artifact = open_artifact_store(str(tmp_path / "home" / "artifacts")).open_artifact(uri)
    model = artifact.model
    assert isinstance(model, RelatedItemsModel) and model.recipe == "aws-semantic-similarity"
    item_ids = artifact.arrays["item_ids"]
    queries = lookup_codes([f"i{n}" for n in range(6)], item_ids)
    codes, _ = related(model, queries, 1)
    assert item_ids[codes[:, 0]].tolist() == ["i1", "i0", "i3", "i2", "i5", "i4"]
    # Items without text (i6..i89) have no neighbours: popular items only.
    start, end = model.neighbour_indptr[lookup_codes(["i50"], item_ids)[0] + np.arange(2)]
    assert start == end

    # The runtime serves it like any related-items campaign.
    campaign = call(personalize, "CreateCampaign", name="sem", solutionVersionArn=arn)
    active = wait_campaign(
        personalize, campaign["campaignArn"], lambda c: c["status"] != "CREATE PENDING"
    )
    assert active["status"] == "ACTIVE", active
    answer = ask(runtime, "GetRecommendations", campaignArn=active["campaignArn"], itemId="i3")
    assert items_of(answer)[0] == "i2"

    # With the only textual field excluded there is nothing to compare: a clear failure.
    _, refused = train(
        personalize,
        group,
        "notext",
        SEMANTIC,
        solutionConfig={
            "trainingDataConfig": {"excludedDatasetColumns": {"Items": ["DESCRIPTION"]}}
        },
    )
    assert refused["status"] == "CREATE FAILED"
    assert "needs a textual field" in refused["failureReason"]
