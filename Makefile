# Appeal Desk. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi.py $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-sqlite test-postgres lint structure bench system-deps clean translations update-translations

install: $(VENV)/.installed translations

# The gettext catalogs (app/translations/*/LC_MESSAGES/messages.po) compiled to .mo: not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations

# For translators: collect new strings into messages.pot and merge them into every catalog.
update-translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

# A fresh Debian lacks python3-venv and WeasyPrint's Pango: installed first, where missing.
$(VENV)/.installed: requirements.txt
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# HOST and PORT reach the app too: e-mail links (BASE_URL) point where it listens unless BASE_URL is set.
run: install
	HOST=$(HOST) PORT=$(PORT) $(FLASK) db upgrade
	HOST=$(HOST) PORT=$(PORT) $(FLASK) demo
	HOST=$(HOST) PORT=$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check app tests bench migrations scripts wsgi.py

# Module and function sizes, view lengths, complexity, import cycles between app/ packages.
structure: install
	$(BIN)/python scripts/structure.py

# System packages the app and the tests use (Chromium, poppler, PostgreSQL), installed where missing.
system-deps:
	scripts/system-deps.sh

test: install system-deps lint structure
	scripts/run-tests.sh

test-sqlite: install
	$(BIN)/pytest

test-postgres: install system-deps
	scripts/run-tests.sh postgres

bench: install
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script --quick || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache
