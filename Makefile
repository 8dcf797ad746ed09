# callin: `make run` serves the seeded demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SEEDS := fixtures/seeds
# When seed 000 was first imported (its comments' import time; "Jan 23" is read as of then).
SEEDS_IMPORTED_AT := 2026-11-23T09:20:40Z
FIXTURE_DB := var/fixtures.sqlite3

.PHONY: install run serve require-secret-key test mutate lint fixtures bench bench-quick bench-heat bench-site train-heat clean pg-app-role

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

install: $(STAMP)

# Jobs (webhook deliveries, author emails) are queued in the database and run by a
# worker: `make run` starts one beside the development server, and stops it with it.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Production: gunicorn, DEBUG off, hashed and compressed static files (whitenoise).
# Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see README "Settings".
# Webhooks and author emails need the job worker running beside it, under the same
# environment (a second service, e.g. a systemd unit):
#   DJANGO_DEBUG=0 .venv/bin/python manage.py db_worker --no-reload
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
# WEB_CONCURRENCY: gunicorn and `check --deploy` (shared rate-limit counts) see the same number.
PROD := DJANGO_DEBUG=0 WEB_CONCURRENCY=$(WORKERS)

serve: require-secret-key  # checked before anything else runs, even with -j
	@$(MAKE) --no-print-directory install
	$(PROD) $(PY) manage.py check --deploy
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --clear -v0
	@echo "make serve: jobs (webhooks, author emails) run in a worker of their own: DJANGO_DEBUG=0 $(PY) manage.py db_worker --no-reload"
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

# Heat scoring alone (heat/): throughput, latency, reply POST and import overhead;
# writes var/bench/heat.json.
bench-heat: $(STAMP)
	$(PY) manage.py bench_heat

# A generated 100,000-post Disqus export through import_site (comments/s, peak memory
# against the file size), and webhook latency from commit to a local receiver with the
# worker running; write var/bench/site/results.json and var/bench/webhooks/results.json.
bench-site: $(STAMP)
	$(PY) -m bench.site_import
	$(PY) -m bench.webhook_latency

# Retrain the contempt model (heat/model/contempt.npz) from fixtures/heat/: cross-validates,
# then fits; deterministic, so a rerun on one machine writes identical bytes (docs/heat.md).
train-heat: $(STAMP)
	$(PY) -m heat.training

# PostgreSQL: grant the app role rows, never tables, and only appends to the moderation log
# (docs/deploy-roles.md). Run as the owner after every migrate:
#   make pg-app-role OWNER_URL=postgres://callin_owner@HOST/callin APP_ROLE=callin_app
APP_ROLE ?= callin_app
pg-app-role:
	@test -n "$(OWNER_URL)" || { echo "make pg-app-role: set OWNER_URL to the table owner's postgres:// URL" >&2; exit 1; }
	psql "$(OWNER_URL)" -X -v app=$(APP_ROLE) -f deploy/app-role.sql

# Mutation testing of the core (docs/testing.md): mutmut mutates the modules listed in
# [tool.mutmut] only_mutate and runs each mutant against only the tests that reach its
# function (2 workers), then writes var/mutation/summary.txt and survivors.txt. mutants/
# is its cache: an interrupted run resumes where it stopped. A subset, rerun even when
# cached: make mutate MUTATE="moderation.audit threads.posting".
MUTATE ?=
mutate: $(STAMP)
	mkdir -p var/mutation
	$(VENV)/bin/mutmut run --max-children 2 $(foreach module,$(MUTATE),"$(module).*")
	$(PY) scripts/mutation_summary.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run  # every model change has its migration

# Rebuild fixtures/seeds.json from the seed texts through the importers.
fixtures: $(STAMP)
	mkdir -p var && rm -f $(FIXTURE_DB)
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_essay $(SEEDS)/004_54372fb689d24231.txt --slug leftist-empathy-gap
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_essay fixtures/essay-000.txt --slug calling-in
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py import_comments $(SEEDS)/000_ac2c2a8ca753e8fe.txt --essay calling-in --replies "9>8,10>8" --imported-at $(SEEDS_IMPORTED_AT)
	DATABASE_URL=sqlite:///$(FIXTURE_DB) $(PY) manage.py dumpdata threads.essay threads.comment --indent 1 -o fixtures/seeds.json
	rm -f $(FIXTURE_DB)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
