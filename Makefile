# Observatorio — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup install lint format lock bench messages schema clean

run: setup ## Set everything up and serve on http://127.0.0.1:8000 (SQLite)
	$(BIN)/observatorio runserver 127.0.0.1:8000

test: setup ## Set everything up and run the whole suite (SQLite, then PostgreSQL)
	bash scripts/test.sh $(ARGS)

setup: install
	$(BIN)/observatorio bootstrap

install: $(STAMP)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Se necesita $(PYTHON) (Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the English catalogue after changing interface strings, then translate
# the new entries in locale/en/LC_MESSAGES/django.po and run this again.
messages: install
	$(BIN)/observatorio makemessages -l en --ignore=.venv --ignore=var --ignore="bench/*"
	msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

# Write the API's OpenAPI snapshot again after changing the API (test_schema.py compares them).
schema: install
	$(BIN)/observatorio spectacular --lang es-mx --validate --fail-on-warn --file observatorio/api/schema.yaml

# The spreadsheet upload (a 1,000-report file and the spreadsheet bombs) takes a minute. The
# portal load test builds its own 51,900-program databases once (var/bench/ and the
# PostgreSQL database observatorio_bench; PostgreSQL is skipped if unreachable), then takes
# a few minutes. Options: make bench PORTAL_ARGS="--db sqlite --duration 60".
# bench/hostile.py times the hostile-input sweep (HOSTILE_ARGS="--db sqlite"); bench/indicators.py
# aggregates 10 million synthetic attention records (INDICATORS_ARGS="--records 1000000").
bench: setup
	$(BIN)/python bench/parsers.py
	$(BIN)/python bench/protection.py
	$(BIN)/python bench/indicators.py $(INDICATORS_ARGS)
	$(BIN)/python bench/spreadsheet.py
	$(BIN)/python bench/portal.py $(PORTAL_ARGS)
	$(BIN)/python bench/hostile.py $(HOSTILE_ARGS)

# Re-resolve the pinned dependencies from requirements/*.in (needs the registry).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements/base.in
	{ echo "# Pinned runtime dependencies. Regenerate with: make lock"; .venv-lock/bin/pip freeze --all | grep -v "^pip=="; } > requirements/base.lock
	.venv-lock/bin/pip install --quiet -r requirements/dev.in
	{ echo "# Pinned runtime + test dependencies. Regenerate with: make lock"; .venv-lock/bin/pip freeze --all | grep -v "^pip=="; } > requirements/dev.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var
