# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint schema vendor screenshots bench clean

# Each stamp records that the venv holds exactly the pins of its requirements file.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

$(VENV)/.bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python main.py migrate
	$(BIN)/python main.py serve  # HOST, PORT, ... from the environment or .env

test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

schema: $(VENV)/.runtime
	$(BIN)/python main.py export-schema

# GraphiQL's and Swagger UI's browser files from the npm registry into static/vendor/
# (versions in static/vendor/manifest.json; PACKAGES="graphiql@<version> ..." changes them).
vendor: $(VENV)/.runtime
	$(BIN)/python tools/vendor_assets.py $(PACKAGES)

# The README's GraphiQL screenshot (docs/graphiql-first-session.png), taken by the
# browser test in headless Chromium.
screenshots: $(VENV)/.dev
	SAVE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_graphiql.py -k graphiql_first_session

# Benchmarks (not tests): real uvicorn servers driven by wrk; writes docs/BENCHMARKS.md.
bench: $(VENV)/.bench
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .node-clients test-artifacts
