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

.PHONY: install system-packages fonts browser demo test check test-sqlite test-postgres audit-deps bench docs clean

## install: the virtual environment from uv.lock (hash-pinned) and compiled translations
install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock $(UV) $(wildcard src/bordermonitor/locale/*/LC_MESSAGES/django.po)
	$(UV) sync --frozen --python $(PYTHON)
	$(BIN)/python -m bordermonitor.web.translations compile
	touch $@

## system-packages: Debian's packages the tests and the reports use, each installed when missing (it needs
## root): chromium (the real-browser tests), poppler-utils (pdftoppm and pdftotext read the reports' PDFs back),
## fonts-noto-core (Noto Sans and the Arabic fonts the reports are typeset in), age (the standard tool that must
## open our encrypted originals), libimage-exiftool-perl (exiftool checks what metadata working copies keep) and
## postgresql-client (pg_dump and pg_restore: `bordermonitor backup` and `restore` on PostgreSQL). Under CI=true
## a package that cannot be installed fails the run; elsewhere the tests that need it are skipped with a message.
system-packages:
	@$(call debian_packages,chromium poppler-utils fonts-noto-core age libimage-exiftool-perl postgresql-client)

## fonts: only the reports' fonts (for `make demo`: its Reports page typesets PDFs)
fonts:
	@$(call debian_packages,fonts-noto-core)

browser: system-packages  # the former name of system-packages

# $(call debian_packages,NAMES): apt-get install those of NAMES that are not installed yet.
define debian_packages
missing=""; \
for package in $(1); do \
  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
done; \
if [ -n "$$missing" ]; then \
  echo "installing Debian's$$missing"; \
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || { \
    if [ "$${CI:-}" = "true" ]; then echo "$$missing could not be installed; CI needs them" >&2; exit 1; fi; \
    echo "$$missing could not be installed: what needs them is skipped (reports fall back to DejaVu Sans)"; }; \
fi
endef

## demo: set up, load the demo network, publish its open archive and serve the staff site on
## http://127.0.0.1:8000 and the public site on http://127.0.0.1:8001
demo: install fonts
	$(BIN)/bordermonitor init
	$(BIN)/bordermonitor demo
	$(BIN)/bordermonitor publish
	BORDERMONITOR_PUBLIC_URL=http://127.0.0.1:8001/ $(BIN)/bordermonitor serve --host 127.0.0.1 --port 8000 --public-port 8001

## test: static checks, then the whole suite on SQLite, and on PostgreSQL (DATABASE_URL=postgresql://… or CI=true)
test: install system-packages check test-sqlite test-postgres

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

## audit-deps: check every locked dependency against PyPI's vulnerability records (pip-audit, strict: a package
## it cannot look up fails the run). It needs PyPI's JSON API, which is not reachable from every machine, so it is
## not part of `make test`.
audit-deps: install
	$(UV) export --frozen --format requirements-txt --no-emit-project --all-groups > $(VENV)/requirements.lock.txt
	$(BIN)/pip-audit --strict --no-deps --disable-pip --vulnerability-service pypi --progress-spinner off \
	  -r $(VENV)/requirements.lock.txt

## bench: full-size benchmarks (not part of `make test`)
bench: install fonts
	$(BIN)/python benchmarks/import_interchange.py --count 100000
	$(BIN)/python benchmarks/pages.py --count 100000
	$(BIN)/python benchmarks/publish.py --count 1000000
	$(BIN)/python benchmarks/public_api.py --count 1000000
	$(BIN)/python benchmarks/matrix.py --count 1000000
	$(BIN)/python benchmarks/linkage_storage.py --count 100000

## docs: regenerate the CLI reference (docs/cli.md)
docs: install
	$(BIN)/python -m bordermonitor.clidoc > docs/cli.md

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
