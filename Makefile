# The two commands: `make run` (the whole system) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install bench lint compose-check

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m ops run

test: install
	bash deploy/system-deps.sh
	$(VENV)/bin/ruff check .
	PY=$(PY) bash deploy/test-suite.sh

bench: install
	$(PY) bench/bench_kernel.py

lint: install
	$(VENV)/bin/ruff check .
