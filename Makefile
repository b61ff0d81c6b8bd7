# Two commands for a new machine: `make demo` and `make test`.
# DATABASE_URL selects PostgreSQL; without it both use an embedded SQLite database.

PYTHON ?= python3.11
PORT ?= 8000
# pytest-xdist processes; WORKERS=0 runs the suite in one process.
WORKERS ?= 2
CHROMIUM_PATH ?= /usr/bin/chromium
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: venv demo lint test chromium

include returns.mk

venv: $(STAMP)

# Reinstalled only when the dependencies change.
$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The Returns page checks returns with the DfE validators (returns.mk). Without them (no network
# to install them, say) the demo still runs, and the page says that checking is not set up.
demo: $(STAMP)
	@$(MAKE) --no-print-directory validators-venv || echo "Could not build the DfE validators" \
	  "(.venv-validators): the demo runs, but its Returns page cannot check a return." >&2
	$(VENV)/bin/cairn demo --port $(PORT)

# Browser tests drive Debian's Chromium; install it if missing and this is root.
chromium:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	      chromium fonts-liberation; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM_PATH):" \
	         "sudo apt-get install chromium fonts-liberation, or set CHROMIUM_PATH" >&2; \
	    exit 1; \
	  fi; \
	fi

# Ruff with the rules in pyproject.toml, over the product and its tests.
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests

# Lint first, so that CI and a new machine run it too.
# A skipped test fails the run (CAIRN_FORBID_SKIPS, tests/conftest.py): it proves nothing.
# An empty DATABASE_URL is dropped so that it means SQLite, as an unset one does.
# CAIRN_TEST_CLOCK=06:05 (or an ISO datetime) runs every test at that clock (tests/conftest.py).
# The slowest tests are listed at the end, so a test that makes the suite long is seen.
test: lint $(STAMP) chromium validators-venv
	$(if $(DATABASE_URL),,env -u DATABASE_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true CAIRN_FORBID_SKIPS=1 CHROMIUM_PATH=$(CHROMIUM_PATH) \
	  $(VENV)/bin/pytest -q -rs -n $(WORKERS) --durations=15 $(PYTEST_ARGS)
