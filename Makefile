# Common work. `make run` installs everything and starts the site with demo content;
# `make test` runs the whole test suite. See README.md.

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ADMIN_USER ?= admin
DEV_ADMIN_PASSWORD ?= techniek
# Development commands default to DEBUG=true, and to a SITE_URL on this HOST and PORT so
# that every printed or mailed link reaches this server; the environment wins for both.
DEV := DEBUG=$${DEBUG:-true} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.DEFAULT_GOAL := help
.PHONY: help venv run demo superuser worker prod migrate test lint format check messages bench

help:
	@echo "make run        install (once), migrate, load demo content, start http://$(HOST):$(PORT)/"
	@echo "make test       the whole test suite (browser tests need Debian's chromium)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make format     ruff format + ruff check --fix"
	@echo "make check      manage.py check, missing migrations, compile translations"
	@echo "make messages   update locale/nl/LC_MESSAGES/django.po from the source"
	@echo "make demo       migrate and (re)load the demo content only"
	@echo "make worker     run the task worker (sends queued e-mail) in the foreground"
	@echo "make prod       as production on one machine: gunicorn, worker and scheduler (DEBUG off)"
	@echo "make venv       create $(VENV) and install the project with the dev extra"
	@echo "make bench      load test under gunicorn on PostgreSQL + Redis (BASELINE=<commit> to compare)"

venv: $(VENV)/.installed

# Reinstalls only when pyproject.toml changes. A venv whose Python is missing or older
# than 3.12 (e.g. made with a system python3 3.11) is replaced.
$(VENV)/.installed: pyproject.toml scripts/find-python
	@if ! $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
		python=$$(scripts/find-python) || exit 1; \
		rm -rf $(VENV); \
		echo "Creating $(VENV) with $$python"; \
		"$$python" -m venv $(VENV) || { \
			echo "Could not create a venv. On Debian/Ubuntu: apt-get install python3-venv" >&2; \
			exit 1; }; \
	fi
	$(PY) -m pip install --disable-pip-version-check --quiet -e ".[dev]"
	@touch $@

migrate: venv
	@$(DEV) $(MANAGE) migrate --noinput

demo: migrate
	@$(DEV) $(MANAGE) load_demo_content

superuser: migrate
	@$(DEV) $(MANAGE) ensure_dev_superuser --username "$(DEV_ADMIN_USER)" --password "$(DEV_ADMIN_PASSWORD)"

run: demo superuser
	@$(DEV) VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) DEV_ADMIN_USER="$(DEV_ADMIN_USER)" \
		DEV_ADMIN_PASSWORD="$(DEV_ADMIN_PASSWORD)" scripts/dev-server

worker: venv
	@$(DEV) $(MANAGE) run_worker

# Production on one machine (README, "Production"): DEBUG off, so SECRET_KEY,
# ALLOWED_HOSTS and SITE_URL must be set (environment or .env). Migrates, collects the
# static files (compressed), then runs gunicorn, the worker and the scheduler.
prod: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)} VENV=$(VENV) scripts/prod-server

test: venv node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The W3C HTML checker (vnu-jar, needs Java) for tests/test_valid_html.py. Without npm
# the test is skipped locally; CI (STRICT_TESTS=1) requires it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the HTML validity test will be skipped (install Node.js and Java to run it)"; \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: venv
	$(DEV) $(MANAGE) check
	$(DEV) $(MANAGE) makemigrations --check --dry-run
	$(DEV) $(MANAGE) compilemessages --locale nl --ignore "$(VENV)"

# The site under gunicorn on PostgreSQL and Redis, under a mixed load (README: Speed).
bench: venv
	$(PY) scripts/bench.py $(if $(BASELINE),--baseline $(BASELINE)) $(BENCH_ARGS)

messages: venv
	$(DEV) $(MANAGE) makemessages --locale nl --add-location file --no-obsolete \
		--ignore "$(VENV)" --ignore tests --ignore scripts --ignore staticfiles --ignore media
