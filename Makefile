# The README's two commands: `make site` builds the site, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Installs only what the lock files name, each file checked against its hash.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes
# One resolution for every Python the CI matrix tests (3.11 and newer) on any system, with every
# file's hash. Pins already in a lock file are kept where they still fit; LOCK_ARGS=--upgrade
# (or --upgrade-package NAME) moves them to the newest releases.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" --quiet $(LOCK_ARGS)
# The tests `make test-fast` leaves out: those that drive Chromium, build a whole site with mkdocs,
# or take over ten seconds of processor time by themselves.
SLOW_MARKERS := browser or build or slow

.PHONY: site check generate serve lint test test-fast bench lock clean

site: $(VENV)/.site-deps  ## Validate, generate and build the site into site/
	$(BIN)/python -m generator build

check: $(VENV)/.site-deps  ## Validate every review file and the theme vocabulary (CHECK_ARGS=--github for annotations)
	$(BIN)/python -m generator check $(CHECK_ARGS)

generate: $(VENV)/.site-deps  ## Write the generated pages into docs/ without building
	$(BIN)/python -m generator generate

serve: $(VENV)/.site-deps  ## Live preview; prints its address (http://127.0.0.1:8000/case-review-learning/ here)
	$(BIN)/python -m generator serve

lint: $(VENV)/.test-deps  ## ruff (lint and format) and mypy, configured in pyproject.toml
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

test: lint  ## Lint, then run every test
	$(BIN)/python -m pytest

test-fast: lint  ## Lint, then run every test but the browser and full-build ones (under 2 minutes)
	$(BIN)/python -m pytest -m "not ($(SLOW_MARKERS))"

bench: $(VENV)/.test-deps  ## Time the pipeline and the preview (BENCH_SIZES, BENCH_CORPORA; not part of `make test`)
	$(BIN)/python tests/bench.py
	$(BIN)/python tests/bench_memory.py  # the generator's peak memory (BENCH_MEMORY_SIZES, BENCH_MEMORY_CORPORA)

lock: $(VENV)/.test-deps  ## Resolve pyproject.toml into the hashed lock files (after changing a dependency)
	$(UV_COMPILE) -o requirements.txt
	$(UV_COMPILE) --extra test --constraint requirements.txt -o requirements-test.txt

clean:
	rm -rf site .site-new .site-ready .site-old .cache docs/index.md docs/reviews docs/themes docs/browse docs/data docs/feeds docs/learning

$(VENV)/.site-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# requirements-test.txt holds the site's packages too, at the same versions.
$(VENV)/.test-deps: requirements-test.txt package.json package-lock.json $(VENV)/.site-deps
	$(PIP_INSTALL) -r requirements-test.txt
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@
