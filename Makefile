# The README's two commands: `make site` builds the site, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site check generate serve test bench clean

site: $(VENV)/.site-deps  ## Validate, generate and build the site into site/
	$(BIN)/python -m generator build

check: $(VENV)/.site-deps  ## Validate every review file and the theme vocabulary (CHECK_ARGS=--github for annotations)
	$(BIN)/python -m generator check $(CHECK_ARGS)

generate: $(VENV)/.site-deps  ## Write the generated pages into docs/ without building
	$(BIN)/python -m generator generate

serve: $(VENV)/.site-deps  ## Live preview; prints its address (http://127.0.0.1:8000/case-review-learning/ here)
	$(BIN)/python -m generator serve

test: $(VENV)/.test-deps  ## Run the test suite
	$(BIN)/python -m pytest

bench: $(VENV)/.test-deps  ## Time the pipeline and the preview (BENCH_SIZES, BENCH_CORPORA; not part of `make test`)
	$(BIN)/python tests/bench.py
	$(BIN)/python tests/bench_memory.py  # the generator's peak memory (BENCH_MEMORY_SIZES, BENCH_MEMORY_CORPORA)

clean:
	rm -rf site .site-new .site-ready .site-old .cache docs/index.md docs/reviews docs/themes docs/browse docs/data docs/feeds docs/learning

$(VENV)/.site-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-test.txt package.json package-lock.json $(VENV)/.site-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@
