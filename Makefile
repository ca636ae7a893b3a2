# Think Child: `make run` starts the demo force; `make test` runs every test.
# Both set everything up first on a fresh clone (Python 3.13 venv, locked dependencies, npm, CSS).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
CSS := src/thinkchild/web/static/web/thinkchild.css

export THINKCHILD_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test setup css lint screenshots benchmarks clean

run: setup
	@THINKCHILD_DEMO=1 THINKCHILD_INSECURE_HTTP=1 $(BIN)/thinkchild run --demo

test: setup
	@scripts/ensure-chromium
	@$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP) $(NPM_STAMP) $(CSS)

$(STAMP): requirements.lock pyproject.toml scripts/find-python
	@PYTHON=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then \
	    echo "Creating $(VENV) with $$PYTHON"; rm -rf $(VENV); $$PYTHON -m venv $(VENV) || exit 1; \
	  fi
	@$(BIN)/pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	@echo "Installing locked Python dependencies"
	@$(BIN)/pip install --quiet --require-hashes -r requirements.lock 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@$(BIN)/pip install --quiet --no-deps -e . 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@echo "Installing npm dependencies"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): $(NPM_STAMP) $(shell find src/thinkchild/web/scss -name '*.scss' 2>/dev/null)
	@echo "Building CSS"
	@scripts/build-assets

css: $(NPM_STAMP)
	@scripts/build-assets

lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

screenshots: setup
	@scripts/ensure-chromium
	@$(BIN)/python scripts/screenshots.py

benchmarks: setup
	@$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
