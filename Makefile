# The whole set-up on a fresh machine: `make run` or `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/contact-service serve

# One pytest worker per core, a test file per worker at a time (a module's server starts once);
# `make test JOBS=0` runs in one process.
JOBS ?= auto

test: install
	$(BIN)/pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS)

openapi: install
	$(BIN)/contact-service openapi

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis dist build
