"""The README's operations table tells the truth about what the server implements."""

from __future__ import annotations

import re
from pathlib import Path

from control_plane.context import ControlPlane
from control_plane.operations import control_plane_operations
from events_service.wiring import open_events_service
from runtime_service.wiring import open_runtime_service
from servicekit.settings import Settings
from storage.metadata.store import open_metadata_store
from tailor_api.v1 import personalize_events_pb2, personalize_pb2, personalize_runtime_pb2

README = Path(__file__).resolve().parents[1] / "README.md"
SERVICES = {
    "personalize": personalize_pb2.DESCRIPTOR.services_by_name["Personalize"],
    "personalize-events": personalize_events_pb2.DESCRIPTOR.services_by_name["PersonalizeEvents"],
    "personalize-runtime": personalize_runtime_pb2.DESCRIPTOR.services_by_name[
        "PersonalizeRuntime"
    ],
}


def _table() -> dict[tuple[str, str], str]:
    rows = re.findall(
        r"^\| (personalize[a-z-]*) \| (\w+) \| (works|recorded|not yet) \|",
        README.read_text(),
        re.M,
    )
    table = {(service, op): status for service, op, status in rows}
    assert len(table) == len(rows), "an operation is listed twice"
    return table


def test_readme_starts_with_the_two_commands():
    text = README.read_text()
    assert text.index("make run") < text.index("make test") < text.index("## ")


def test_every_operation_is_listed_once_with_its_true_status(tmp_path):
    table = _table()
    expected = {(s, m.name) for s, service in SERVICES.items() for m in service.methods}
    assert set(table) == expected
    store = open_metadata_store(f"sqlite:///{tmp_path / 'tailor.db'}")
    settings = Settings.from_env({}, home=tmp_path)
    events = open_events_service(settings, store)
    runtime = open_runtime_service(settings, store)
    try:
        implemented = {
            "personalize": set(control_plane_operations(ControlPlane(store=None, arns=None))),
            "personalize-events": set(events.operations),
            "personalize-runtime": set(runtime.operations),
        }
    finally:
        runtime.close()
        events.close()
        store.close()
    for (service, operation), status in table.items():
        served = operation in implemented.get(service, set())
        assert served == (status != "not yet"), f"{service} {operation} is listed as {status}"
