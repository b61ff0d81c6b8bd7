# The sector's validators (csc-validator-be-903, csc-validator-be-cin, liiatools) in an
# environment of their own: they need Python 3.11 and pandas < 2. Included from the Makefile.

VALIDATORS_PYTHON ?= python3.11
VALIDATORS_VENV := .venv-validators
VALIDATORS_REQS := src/cairn/returns/validators-requirements.txt
VALIDATORS_STAMP := $(VALIDATORS_VENV)/.installed

.PHONY: validators-venv

validators-venv: $(VALIDATORS_STAMP)

$(VALIDATORS_STAMP): $(VALIDATORS_REQS)
	test -x $(VALIDATORS_VENV)/bin/python || $(VALIDATORS_PYTHON) -m venv $(VALIDATORS_VENV)
	$(VALIDATORS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(VALIDATORS_REQS)
	$(VALIDATORS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps liiatools==0.2.0
	touch $@
