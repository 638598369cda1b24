"""Training data: bulk + streamed interactions read from real stores (SQLite, segment files).

Datasets are created and filled through the real gRPC server (imports, PutEvents, PutItems); the
training data is then read with ``trainer.training_data`` beside it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from domain.errors import InvalidInputException
from storage.streamed.training_tables import latest_event_seq
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.trainer.import_fixtures import (
    T0,
    interaction_lines,
    make_datasets,
    run_import,
    write,
)
from trainer.event_ids import first_event_ids
from trainer.minimum_data import count_training_data, require_minimum_training_data
from trainer.training_data import filter_events, interactions_table, load_training_data


def group_with_bulk(personalize, tmp_path: Path) -> tuple[dict[str, str], str]:
    """Datasets of a group whose Interactions hold 1,000 imported rows with ids e0..e999."""
    arns = make_datasets(personalize)
    job = run_import(
        personalize, arns["Interactions"], write(tmp_path / "i.csv", interaction_lines(1000)), "b"
    )
    assert job["status"] == "ACTIVE", job
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"]
    return arns, group["datasetGroupArn"]


def put(events, tracker: str, user: str, *event_list: dict) -> None:
    call_events(
        events, "PutEvents", trackingId=tracker, userId=user, sessionId=user, eventList=event_list
    )


def click(item: str, second: int, event_id: str | None = None) -> dict:
    event = {"eventType": "click", "itemId": item, "sentAt": T0 + second}
    return event if event_id is None else {**event, "eventId": event_id}


def test_first_event_ids_keeps_each_id_once_and_imported_ids_win() -> None:
    bulk = pa.chunked_array([["a", None, "b"], ["c"]])
    streamed = pa.array(["x", "b", None, "x", "y", None, "c", "y"])
    keep = first_event_ids(bulk, streamed)
    assert keep.tolist() == [True, False, True, False, True, True, False, False]
    without_bulk = first_event_ids(None, streamed)
    assert np.flatnonzero(~without_bulk).tolist() == [3, 7]
    assert first_event_ids(bulk, pa.array([], pa.string())).shape == (0,)


def test_an_event_id_in_bulk_and_streamed_data_counts_once(personalize, events, data, tmp_path):
    arns, group = group_with_bulk(personalize, tmp_path)
    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)
    tracking = tracker["trackingId"]
    # e5 was imported: its streamed copy (even with other properties) is left out.
    put(events, tracking, "live-u0", click("dup-only", 0, "e5"))
    put(events, tracking, "live-u0", click("new-1", 1, "x1"))
    # x1 again, in a later call: the first one counts.
    put(events, tracking, "live-u1", click("again", 2, "x1"))
    put(events, tracking, "live-u1", click("new-2", 3))

    seq = latest_event_seq(data.store, group)
    training = load_training_data(data.store, data.segments, {}, group, seq)
    assert (training.bulk_rows, training.streamed_rows) == (1000, 2)
    assert len(training.interactions) == 1002
    catalogue = set(training.item_ids.tolist())
    assert {"new-1", "new-2"} <= catalogue
    assert not {"dup-only", "again"} & catalogue
    users = training.user_ids[training.interactions.user_codes]
    items = training.item_ids[training.interactions.item_codes]
    assert sorted(items[np.char.startswith(users, "live-")].tolist()) == ["new-1", "new-2"]


def import_items(personalize, arns: dict[str, str], tmp_path: Path, lines: list[str]) -> None:
    header = "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP"
    job = run_import(personalize, arns["Items"], write(tmp_path / "t.csv", [header, *lines]), "t")
    assert job["status"] == "ACTIVE", job


def excluding(**columns: list[str]) -> dict:
    """A version document whose trainingDataConfig excludes ``columns`` per dataset type."""
    return {"solutionConfig": {"trainingDataConfig": {"excludedDatasetColumns": columns}}}


def test_excluded_item_columns_are_not_training_features(personalize, data, tmp_path):
    arns, group = group_with_bulk(personalize, tmp_path)
    import_items(
        personalize, arns, tmp_path, ["i1,Comedy|Drama,9.5,true,,1600000000", "i2,Horror,,,,7"]
    )
    seq = latest_event_seq(data.store, group)
    full = load_training_data(data.store, data.segments, {}, group, seq)
    assert full.item_features is not None and full.item_features.shape[1] == 3
    assert full.item_creation_timestamps is not None
    code = int(np.flatnonzero(full.item_ids == "i2")[0])
    assert full.item_creation_timestamps[code] == 7

    version = excluding(Items=["GENRES", "CREATION_TIMESTAMP"])
    trimmed = load_training_data(data.store, data.segments, version, group, seq)
    assert trimmed.item_features is None and trimmed.item_creation_timestamps is None
    assert trimmed.item_ids.tolist() == full.item_ids.tolist()
    only_time = {
        "solutionConfig": {
            "trainingDataConfig": {"includedDatasetColumns": {"items": ["CREATION_TIMESTAMP"]}}
        }
    }
    kept = load_training_data(data.store, data.segments, only_time, group, seq)
    assert kept.item_features is None and kept.item_creation_timestamps is not None


def test_excluded_interaction_columns_read_as_null(personalize, data, tmp_path):
    _, group = group_with_bulk(personalize, tmp_path)
    seq = latest_event_seq(data.store, group)
    # Every imported row is a click: without EVENT_TYPE, a filter on it keeps nothing.
    kept = load_training_data(data.store, data.segments, {"eventType": "click"}, group, seq)
    assert len(kept.interactions) == 1000
    version = {**excluding(Interactions=["EVENT_TYPE", "USER_ID"]), "eventType": "click"}
    with pytest.raises(InvalidInputException, match="0 interactions"):
        load_training_data(data.store, data.segments, version, group, seq)


def test_objective_rewards_and_event_weighting_are_read_for_the_metrics(
    personalize, data, tmp_path
):
    arns, group = group_with_bulk(personalize, tmp_path)
    import_items(personalize, arns, tmp_path, ["i1,Comedy,9.5,true,,1", "i2,Horror,,,,2"])
    seq = latest_event_seq(data.store, group)
    plain = load_training_data(data.store, data.segments, {}, group, seq)
    assert plain.item_rewards is None and plain.event_weighted is False
    version = {
        "solutionConfig": {
            "optimizationObjective": {"itemAttribute": "PRICE", "objectiveSensitivity": "LOW"},
            "eventsConfig": {"eventParametersList": [{"eventType": "click", "weight": 0.5}]},
            "trainingDataConfig": {"excludedDatasetColumns": {"Items": ["PRICE"]}},
        }
    }
    training = load_training_data(data.store, data.segments, version, group, seq)
    assert training.event_weighted is True
    rewards = dict(zip(training.item_ids.tolist(), training.item_rewards.tolist(), strict=True))
    assert rewards["i1"] == 9.5
    assert np.isnan(rewards["i2"]) and np.isnan(rewards["i3"])  # null; not in Items
    wrong = {"solutionConfig": {"optimizationObjective": {"itemAttribute": "GENRES"}}}
    with pytest.raises(InvalidInputException, match="no numeric column 'GENRES'"):
        load_training_data(data.store, data.segments, wrong, group, seq)


def test_filtering_nothing_returns_the_table_itself_and_unit_weights() -> None:
    table = pa.table(
        {
            "USER_ID": ["u1", "u2"],
            "ITEM_ID": ["i1", "i2"],
            "EVENT_TYPE": ["click", "buy"],
            "EVENT_VALUE": [1.0, None],
        }
    )
    kept, weights, filtering = filter_events(table, {})
    assert kept is table and weights.tolist() == [1.0, 1.0] and filtering == ""
    kept, weights, filtering = filter_events(table, {"eventType": "buy"})
    assert kept["USER_ID"].to_pylist() == ["u2"] and weights.tolist() == [1.0]
    assert filtering == "eventType 'buy'"
    with_null = table.set_column(0, "USER_ID", pa.array(["u1", None]))
    assert filter_events(with_null, {})[0]["USER_ID"].to_pylist() == ["u1"]


def test_minimum_data_counted_from_codes_as_from_ids(personalize, data, tmp_path) -> None:
    arns, group = group_with_bulk(personalize, tmp_path)
    training = load_training_data(data.store, data.segments, {}, group, 0)
    assert training.counts == count_training_data(
        pa.array(training.user_ids).take(pa.array(training.interactions.user_codes))
    )
    assert training.counts.interactions == 1000 and training.counts.users == 40
    # Too little data after filtering: the message is minimum_data's own, word for word.
    version = {"eventType": "click", "solutionConfig": {"eventValueThreshold": "6"}}
    with pytest.raises(InvalidInputException) as raised:
        load_training_data(data.store, data.segments, version, group, 0)
    table, _, _ = interactions_table(data.store, data.segments, arns["Interactions"], group, 0)
    kept, _, filtering = filter_events(table, version)
    assert 0 < kept.num_rows < 1000
    with pytest.raises(InvalidInputException) as expected:
        require_minimum_training_data(kept["USER_ID"], filtering)
    assert str(raised.value) == str(expected.value)
