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

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

openapi: install
	$(BIN)/contact-service openapi

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis dist build
