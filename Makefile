# Handvat: `make run` starts the app, `make test` runs every test.
# Both set up everything they need first, and skip what is already done.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test setup setup-dev messages lint makemessages clean

run: setup
	$(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "Handvat runs at http://127.0.0.1:8000/  (web, worker and beat; Ctrl-C stops all)"
	@echo ""
	DEBUG=true PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

test: setup-dev
	$(BIN)/pytest

setup: $(VENV)/.runtime messages .env
	@bin/ensure-system-deps

setup-dev: $(VENV)/.dev messages .env
	@bin/ensure-system-deps --browser
	@bin/ensure-axe

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Handvat needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.runtime: $(VENV)/.created requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.env:
	@bin/ensure-env

messages: $(VENV)/.runtime .env
	@command -v msgfmt >/dev/null || bin/ensure-system-deps
	@$(PY) manage.py compilemessages --ignore=.venv --verbosity=0

# Refresh the .po files after changing texts; then translate the new entries.
makemessages: $(VENV)/.runtime
	$(PY) manage.py makemessages --locale=nl --ignore=.venv --ignore=var --no-obsolete --add-location=file

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
