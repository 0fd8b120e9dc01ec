# litreview: two commands to start, `make site` then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast check serve bench bench-library zip clean lint typecheck

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
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## unit and golden tests only (no MkDocs build, no browser): under 30 s
	$(BIN)/python -m pytest -q -m "not build and not browser"

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

zip: $(STAMP)  ## dist/<review-name>.zip: the site for offline reading (file://)
	$(BIN)/litreview zip

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache dist
