"""`tailor quickstart` against a real in-process server: the whole workflow on a small shop."""

from __future__ import annotations

import io

from cli.main import main
from cli.quickstart import run_quickstart
from cli.sample_shop import CATEGORIES, generate_shop
from tests.control_plane.aws_calls import call

SMALL = ["--users", "120", "--items", "60", "--days", "30", "--poll-seconds", "0.1"]


def test_quickstart_walks_the_workflow_and_shows_recommendations_follow_events(
    tailor, personalize, tmp_path
):
    call(personalize, "CreateDatasetGroup", name="quickstart-shop")  # taken: a suffix is added
    out, err, summary = io.StringIO(), io.StringIO(), {}
    code = run_quickstart(
        [*SMALL, "--data-dir", str(tmp_path / "csv")],
        endpoint=f"127.0.0.1:{tailor.port}",
        stdout=out,
        stderr=err,
        summary=summary,
    )
    printed = out.getvalue()
    assert code == 0, err.getvalue() + printed
    assert summary["arns"]["datasetGroup"].split("/")[-1].startswith("quickstart-shop-")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "interactions.csv",
        "items.csv",
        "users.csv",
    ]
    for step in ("1. Created dataset group", "4. Importing", "ACTIVE", "NDCG@10", "PutEvents"):
        assert step in printed

    new = summary["new_category"]
    assert new not in summary["favourites"]
    before = [category for _, category in summary["before"]]
    after = [category for _, category in summary["after"]]
    assert len(before) == len(after) == 10
    assert after.count(new) > before.count(new), summary
    assert f"{after.count(new)} of 10 from {new}" in printed
    assert not {item for item, _ in summary["after"]} & set(summary["streamed"])

    excluded = {item for item, _ in summary["excluded"]}
    assert excluded and not excluded & set(summary["purchased"])
    wanted = summary["included_category"]
    assert wanted in CATEGORIES and summary["included"]
    assert {category for _, category in summary["included"]} == {wanted}

    campaign = call(personalize, "DescribeCampaign", campaignArn=summary["arns"]["campaign"])
    assert campaign["campaign"]["status"] == "ACTIVE"
    assert summary["seconds"] < 60


def test_quickstart_reports_an_unreachable_server(capsys):
    assert main(["quickstart", "--endpoint", "127.0.0.1:1", *SMALL]) == 255
    assert "Could not connect to Tailor at 127.0.0.1:1" in capsys.readouterr().err


def test_the_sample_shop_is_reproducible_and_has_preferences():
    first = generate_shop(users=50, items=30, days=10, seed=3, now=1_700_000_000)
    again = generate_shop(users=50, items=30, days=10, seed=3, now=1_700_000_000)
    assert first.events == again.events and len(first.events) >= 50 * 15
    assert set(first.category_of.values()) == set(CATEGORIES)
    assert all(1_700_000_000 - 10 * 86_400 <= t <= 1_700_000_000 for _, _, t, _ in first.events)
    user, untouched = first.demo_user()
    assert first.touched(user)[untouched] == 0
    in_favourites = sum(
        first.category_of[item] in first.favourites[who] for who, item, _, _ in first.events
    )
    assert in_favourites / len(first.events) > 0.85
