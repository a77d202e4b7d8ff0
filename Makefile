# The two commands: `make run` (the whole system) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python
# axe-core, which the portal's browser tour injects into each page (tests/browser/package.json)
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test install bench lint compose-check

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(PY) -m ops run

test: install
	bash deploy/system-deps.sh
	$(MAKE) $(AXE)
	$(VENV)/bin/ruff check .
	PY=$(PY) bash deploy/test-suite.sh

bench: install
	$(PY) bench/bench_kernel.py

lint: install
	$(VENV)/bin/ruff check .
