# callin: `make run` serves the seeded demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SEEDS := fixtures/seeds
FIXTURE_DB := var/fixtures.sqlite3

.PHONY: install run serve require-secret-key test lint fixtures bench bench-quick bench-heat clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Production: gunicorn, DEBUG off, hashed and compressed static files (whitenoise).
# Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see README "Settings".
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
PROD := DJANGO_DEBUG=0

serve: require-secret-key  # checked before anything else runs, even with -j
	@$(MAKE) --no-print-directory install
	$(PROD) $(PY) manage.py check --deploy
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --clear -v0
	$(PROD) exec $(VENV)/bin/gunicorn config.wsgi:application --bind $(BIND) --workers $(WORKERS) --access-logfile -

require-secret-key:
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: DJANGO_SECRET_KEY is not set; refusing to start (export a long random value first)." >&2; exit 1; }

test: $(STAMP)
	$(PY) -m pytest

# Benchmarks (bench/): SQLite by default, PostgreSQL when DATABASE_URL is set; both print a
# table and write var/bench/results.json.  The bench extra (installed with the dev tools,
# so the suite can run the bench end to end on tiny sizes) adds django-comments-xtd.
bench: $(STAMP)
	$(PY) -m bench

bench-quick: $(STAMP)
	$(PY) -m bench --quick

# Heat scoring alone (moderation.heat): throughput, latency, reply POST and import overhead;
# writes var/bench/heat.json.
bench-heat: $(STAMP)
	$(PY) manage.py bench_heat

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
