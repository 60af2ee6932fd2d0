# The two commands: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first Python 3.12 or newer on this machine: PATH first, then pyenv's versions.
PYTHON ?= $(shell for candidate in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$candidate >/dev/null 2>&1 && \
	     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$candidate; break; fi; done)

.PHONY: demo test install lint format messages check-deploy bench bench-tools clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Tandem needs Python 3.12 or newer; none was found." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tandem demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Test processes (pytest-xdist); each gets its own test database.
TEST_PROCESSES ?= 2

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	TANDEM_VAR_DIR=$$(mktemp -d) $(BIN)/tandem makemigrations --check --dry-run
	TANDEM_VAR_DIR=$$(mktemp -d) $(BIN)/pytest -q -n $(TEST_PROCESSES)
	@if [ -n "$$TANDEM_TEST_DATABASE_URL" ]; then \
	  echo "--- the suite again on PostgreSQL ---"; \
	  TANDEM_VAR_DIR=$$(mktemp -d) DATABASE_URL="$$TANDEM_TEST_DATABASE_URL" $(BIN)/pytest -q -n $(TEST_PROCESSES); \
	fi

# Each app keeps its own catalogs in <app>/locale. Updating them needs GNU gettext; the
# compiled .mo files are committed, so running Tandem never does.
APPS_WITH_TEXT := accounts audit directory listening programs messaging outbox rosters translation web
messages: $(STAMP)
	for app in $(APPS_WITH_TEXT); do \
	  mkdir -p tandem/$$app/locale && \
	  (cd tandem/$$app && ../../$(BIN)/tandem makemessages -l es -l ar --ignore='migrations/*' --no-obsolete) || exit 1; \
	done
	$(BIN)/tandem compilemessages --ignore='.venv/*' 

check-deploy: $(STAMP)
	TANDEM_ENV=production TANDEM_SECRET_KEY=$$(openssl rand -base64 48) \
	  TANDEM_ALLOWED_HOSTS=tandem.example.org $(BIN)/tandem check --deploy --fail-level WARNING

bench: bench-tools
	$(BIN)/python bench/roster_import.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/opinion_groups.py
	$(BIN)/python bench/themes.py
	$(BIN)/python bench/listening_load.py
	$(BIN)/python bench/scheduling.py

# What the analysis benchmarks compare Tandem with: red-dwarf, and BERTopic without its
# torch dependencies (it is given the embeddings), with umap-learn and hdbscan.
bench-tools: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m pip install --quiet --no-deps "bertopic==0.17.4"

clean:
	rm -rf $(VENV) var
