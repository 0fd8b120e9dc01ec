# litreview: two commands to start, `make site` then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
export NO_MKDOCS_2_WARNING := 1
# Bytecode is cached even where the shell sets PYTHONDONTWRITEBYTECODE (Python reads an empty value
# as unset): otherwise pytest rewrites every test module and each `litreview` child process
# compiles the engine from source on every run.
export PYTHONDONTWRITEBYTECODE :=
# Tests run on every core (pytest-xdist); a test file stays on one worker, so its module fixtures
# (a site built once for the file's tests) are built once.
PYTEST_WORKERS ?= auto

.PHONY: site test test-fast check serve bench bench-library bench-corpora zip clean lint typecheck

# A fresh machine needs only Python 3 and make: the venv comes from the pinned, hashed lock.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

site: $(STAMP)  ## build site/ in strict mode (atomically: a failed build keeps the old site/)
	$(BIN)/litreview build

check: $(STAMP)  ## validate content/ and references.bib: path:line: message per problem
	$(BIN)/litreview check

test: $(STAMP) lint typecheck  ## everything: lint, types, unit, golden, real build, browser
	$(BIN)/litreview schemas --check
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

test-fast: $(STAMP)  ## unit and golden tests only (no MkDocs build, no browser): under 30 s
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m "not build and not browser"

lint: $(STAMP)
	$(BIN)/ruff check macros tests benchmarks
	$(BIN)/ruff format --check macros tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

serve: $(STAMP)  ## live preview at http://127.0.0.1:8000
	$(BIN)/litreview serve

bench: $(STAMP)  ## build cost against a bare MkDocs build of the same page count
	$(BIN)/python -m benchmarks.bench

bench-library: $(STAMP)  ## time to the first search result at 2,500 and 10,000 entries (Chromium, file://)
	$(BIN)/python -m benchmarks.library

bench-corpora: $(STAMP)  ## tests/corpora libraries: init + import + build cold and warm, one table row each
	$(BIN)/python -m benchmarks.corpora

zip: $(STAMP)  ## dist/<review-name>.zip: the site for offline reading (file://)
	$(BIN)/litreview zip

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache dist
