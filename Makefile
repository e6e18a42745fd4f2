# Tasks everyone uses. `make demo` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out
CHROMIUM := /usr/bin/chromium

.PHONY: setup browser iris-env demo test test-fast lint format typecheck proto bench update-golden screenshots clean

setup: $(STAMP)

# The virtual environment, rebuilt whenever the project's requirements change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium; Playwright's own browser download is not used.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y --no-install-recommends chromium \
	    || { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium; }; \
	fi

# The real iris the live importer test runs: a Python 3.12 venv with pinned iris,
# made once and cached outside the repository (see tests/iris/env.py).
iris-env: $(STAMP)
	$(BIN)/python -m tests.iris.env

demo: $(STAMP)
	$(BIN)/fluster-snapshot demo --out $(OUT)/demo

test: $(STAMP) browser iris-env lint typecheck
	$(BIN)/pytest -n 2

# Everything but the browser, for a quick loop while editing.
test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser and not slow and not iris"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy

# Regenerate the committed protobuf code; tests/test_schema.py fails when it is stale.
proto: $(STAMP)
	$(BIN)/python -m grpc_tools.protoc -Iproto --python_out=renderer/snapshot/schema \
	  --pyi_out=renderer/snapshot/schema proto/cluster.proto

bench: $(STAMP) browser
	$(BIN)/python -m bench

# The README's pictures, from the demo report.
screenshots: demo browser
	$(BIN)/python docs/screenshots.py $(OUT)/demo/report docs

update-golden: $(STAMP)
	$(BIN)/python -m tests.gold.update

clean:
	rm -rf $(OUT) bench-out tests/gold/actual .pytest_cache .ruff_cache .mypy_cache .hypothesis
