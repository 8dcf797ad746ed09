# callin: `make run` serves the seeded demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SEEDS := fixtures/seeds
FIXTURE_DB := var/fixtures.sqlite3

.PHONY: install run test lint fixtures clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Rebuild fixtures/seeds.json from the seed texts through the importers.
fixtures: $(STAMP)
	mkdir -p var && rm -f $(FIXTURE_DB)
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_essay $(SEEDS)/004_54372fb689d24231.txt --slug leftist-empathy-gap
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_essay fixtures/essay-000.txt --slug calling-in
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_comments $(SEEDS)/000_ac2c2a8ca753e8fe.txt --essay calling-in --replies "9>8,10>8"
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py dumpdata threads.essay threads.comment --indent 1 -o fixtures/seeds.json
	rm -f $(FIXTURE_DB)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
