# The documented entry points. `make demo` and `make test` work on a fresh clone with nothing but Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
UV := .tools/bin/uv
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/bordermonitor
PYTEST_ARGS ?=

.PHONY: install browser demo test check test-sqlite test-postgres bench docs clean

## install: the virtual environment from uv.lock (hash-pinned) and compiled translations
install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock $(UV) $(wildcard src/bordermonitor/locale/*/LC_MESSAGES/django.po)
	$(UV) sync --frozen --python $(PYTHON)
	$(BIN)/python -m bordermonitor.web.translations compile
	touch $@

## browser: Debian's Chromium for the real-browser tests (installed once, when it can be: it needs root)
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { \
	    if [ "$${CI:-}" = "true" ]; then echo "chromium could not be installed; CI needs it" >&2; exit 1; fi; \
	    echo "chromium could not be installed: the browser tests will be skipped"; }; }

## demo: set up, load the demo network, publish its open archive and serve the staff site on
## http://127.0.0.1:8000 and the public site on http://127.0.0.1:8001
demo: install
	$(BIN)/bordermonitor init
	$(BIN)/bordermonitor demo
	$(BIN)/bordermonitor publish
	BORDERMONITOR_PUBLIC_URL=http://127.0.0.1:8001/ $(BIN)/bordermonitor serve --host 127.0.0.1 --port 8000 --public-port 8001

## test: static checks, then the whole suite on SQLite, and on PostgreSQL (DATABASE_URL=postgresql://… or CI=true)
test: install browser check test-sqlite test-postgres

check: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	DATABASE_URL= BORDERMONITOR_DATA_DIR=$$(mktemp -d) $(BIN)/django-admin makemigrations --check --dry-run --settings=bordermonitor.web.settings

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install
	@url="$${DATABASE_URL:-}"; \
	if [[ "$$url" != postgres* ]]; then \
	  if [ "$${CI:-}" = "true" ]; then url="$(PG_TEST_URL)"; \
	  else echo "PostgreSQL run skipped: set DATABASE_URL=postgresql://… (CI=true runs it against $(PG_TEST_URL))"; exit 0; fi; \
	fi; \
	echo "running the suite on PostgreSQL ($$url)"; \
	DATABASE_URL="$$url" $(BIN)/pytest -n 2 $(PYTEST_ARGS)

## bench: full-size benchmarks (not part of `make test`)
bench: install
	$(BIN)/python benchmarks/import_interchange.py --count 100000
	$(BIN)/python benchmarks/pages.py --count 100000
	$(BIN)/python benchmarks/publish.py --count 1000000
	$(BIN)/python benchmarks/public_api.py --count 1000000

## docs: regenerate the CLI reference (docs/cli.md)
docs: install
	$(BIN)/python -m bordermonitor.clidoc > docs/cli.md

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
