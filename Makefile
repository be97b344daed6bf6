# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-pg lint install bench templates

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run:
	@scripts/system-packages.sh run
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/archive-app init
	$(BIN)/archive-app demo-data
	$(BIN)/archive-app serve --host $(HOST) --port $(PORT)

test:
	@scripts/system-packages.sh test
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/ruff check archive_app tests bench migrations doc_templates
	$(BIN)/lint-imports  # the layer contract in pyproject.toml (docs/architecture.md)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The same suite against the local PostgreSQL server (CI runs both).
test-pg:
	ARCHIVE_TEST_DATABASE_URL=$${ARCHIVE_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(MAKE) --no-print-directory test

lint: $(STAMP)
	$(BIN)/ruff check archive_app tests bench migrations doc_templates
	$(BIN)/lint-imports
