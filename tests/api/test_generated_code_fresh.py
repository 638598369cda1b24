"""The committed Python in tailor_api/v1 is exactly what protoc makes of the committed .proto files.

The generated package is checked in, so an edit to a .proto without regenerating would ship stale
descriptors. This test regenerates everything into a temporary directory with the same command as
``make protos`` and compares byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROTO_DIR = ROOT / "protos" / "tailor_api" / "v1"
PACKAGE_DIR = ROOT / "tailor_api" / "v1"
PROTOS = sorted(PROTO_DIR.glob("*.proto"))
SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")
EXPECTED_FILES = sorted(proto.stem + suffix for proto in PROTOS for suffix in SUFFIXES)
HINT = "the generated code is stale: run `make protos` and commit tailor_api/v1"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run protoc exactly like `make protos`, writing into a temporary directory."""
    out = tmp_path_factory.mktemp("protoc")
    command = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        "-Iprotos",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *(str(proto.relative_to(ROOT)) for proto in PROTOS),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"protoc failed:\n{result.stderr}"
    return out / "tailor_api" / "v1"


def test_there_are_protos_to_compile() -> None:
    stems = {proto.stem for proto in PROTOS}
    assert {"constraints", "personalize", "personalize_events", "personalize_runtime"} <= stems


def test_protoc_generates_exactly_the_expected_files(regenerated: Path) -> None:
    generated = sorted(path.name for path in regenerated.iterdir() if path.is_file())
    assert generated == EXPECTED_FILES


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_committed_file_is_fresh(regenerated: Path, name: str) -> None:
    committed = PACKAGE_DIR / name
    assert committed.is_file(), f"tailor_api/v1/{name} is missing; {HINT}"
    assert committed.read_bytes() == (regenerated / name).read_bytes(), (
        f"tailor_api/v1/{name} differs from what protoc generates; {HINT}"
    )


def test_no_leftover_generated_file() -> None:
    committed = {path.name for path in PACKAGE_DIR.iterdir() if path.name.endswith(SUFFIXES)}
    leftovers = sorted(committed - set(EXPECTED_FILES))
    assert not leftovers, (
        f"generated files without a .proto in protos/tailor_api/v1: {leftovers}; "
        "delete them or restore their .proto"
    )
