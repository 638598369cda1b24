# Tailor: `make run` starts everything on embedded defaults; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROTO_SRC := $(wildcard protos/tailor_api/v1/*.proto)

.PHONY: install run test lint format protos protos-bootstrap bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/tailor up

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

protos: install
	$(BIN)/python -m grpc_tools.protoc -Iprotos --python_out=. --pyi_out=. --grpc_python_out=. $(PROTO_SRC)

protos-bootstrap: install
	$(BIN)/python protos/bootstrap_from_botocore.py
	$(MAKE) protos

bench: install
	$(BIN)/python bench/control_plane_latency.py
	$(BIN)/python bench/import_throughput.py
	$(BIN)/python bench/put_events_throughput.py
	$(BIN)/python bench/get_recommendations_throughput.py
	$(BIN)/python bench/training_cost.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
