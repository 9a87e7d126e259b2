# AES-CRM. Quick start: `make run` (the CRM with a demo clinic) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test lint bench fmt install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv installs in seconds; plain pip is the fallback where uv cannot be had.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv >/dev/null 2>&1 || true
	@if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q --python $(BIN)/python -r requirements.txt -e .; \
	else $(BIN)/python -m pip install -q -r requirements.txt -e .; fi
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	@if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q --python $(BIN)/python -r requirements-dev.txt -e .; \
	else $(BIN)/python -m pip install -q -r requirements-dev.txt -e .; fi
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: $(VENV)/.runtime
	@PORT=$(PORT) scripts/run.sh

test: $(VENV)/.dev
	@scripts/test.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	AESCRM_TESTING=1 $(BIN)/mypy aescrm
	AESCRM_TESTING=1 AESCRM_MASTER_KEY= $(BIN)/aescrm makemigrations --check --dry-run

fmt: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev
	@scripts/bench.sh

clean:
	rm -rf $(VENV) var staticfiles
