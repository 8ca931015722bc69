# The contract: `make run` serves the portal with demo data; `make test` runs the whole suite.
# Both set everything up first and are quick when nothing has changed.

PYTHON ?= python3
PORT ?= 8000
VAR_DIR ?= var
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
VENDOR := static/vendor/nhsuk
# The organisation boxes' autocomplete (docs/adr/0032), loaded only on pages that have one.
AUTOCOMPLETE := node_modules/accessible-autocomplete/dist
AUTOCOMPLETE_VENDOR := static/vendor/accessible-autocomplete

.PHONY: install site-url prepare run test test-fast lint format migrations-check compose-check clean \
	prod-check backup restore backup-drill load

install: .venv/.synced $(VENDOR)/.built

# uv comes from PyPI when the machine does not have it yet.
var/tools/bin/uv:
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Only the design system files the pages use are served, not the whole package. The icons
# and manifest go under root/, which WhiteNoise serves at /assets/ where the CSS expects them.
$(VENDOR)/.built: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/root/assets/images
	cp $(NHSUK)/nhsuk-frontend.min.css $(NHSUK)/nhsuk-frontend.min.css.map $(VENDOR)/
	cp $(NHSUK)/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js.map $(VENDOR)/
	cp $(NHSUK)/assets/manifest.json $(VENDOR)/root/assets/
	cp $(NHSUK)/assets/images/*.svg $(NHSUK)/assets/images/*.png $(NHSUK)/assets/images/favicon.ico \
		$(VENDOR)/root/assets/images/
	rm -rf $(AUTOCOMPLETE_VENDOR)
	mkdir -p $(AUTOCOMPLETE_VENDOR)
	# With their source maps, which the files name: collectstatic refuses a missing one.
	cp $(AUTOCOMPLETE)/accessible-autocomplete.min.js $(AUTOCOMPLETE)/accessible-autocomplete.min.js.map \
		$(AUTOCOMPLETE)/accessible-autocomplete.min.css $(AUTOCOMPLETE)/accessible-autocomplete.min.css.map \
		$(AUTOCOMPLETE_VENDOR)/
	@touch $@

# The address make run serves at, for the links in email that commands run later send
# (config/env.py reads it when neither SITE_URL nor PORT is set).
site-url:
	@mkdir -p $(VAR_DIR)
	@printf 'http://127.0.0.1:%s\n' '$(PORT)' > $(VAR_DIR)/site_url

# Migrations, reference data and the demo in one process (demo/management/commands/
# prepare_demo.py), whose migrate runs the system checks: the server need not run them again.
prepare: install site-url
	@mkdir -p $(VAR_DIR)/mail
	$(MANAGE) prepare_demo

# The demo shows what people see, "Page not found" included, never Django's debug pages, which
# list the portal's URL patterns to whoever follows a shared link (docs/adr/0033). A developer
# who wants them runs `make run DEBUG=true`.
DEBUG ?= false

# The server and, beside it, a Celery worker (with the schedule) taking tasks from a queue kept
# as files under var/tasks (no Redis needed): a report is made in the background, as in
# production, so its progress page and its email are seen. Stopping make stops both.
TASK_QUEUE_DIR ?= $(VAR_DIR)/tasks
run: prepare
	@mkdir -p $(TASK_QUEUE_DIR)
	@export TASK_QUEUE_DIR='$(TASK_QUEUE_DIR)'; \
	DEBUG=$(DEBUG) MFA_REQUIRED=false $(UV) run --frozen celery -A config worker --beat \
		--schedule='$(TASK_QUEUE_DIR)/beat-schedule' --concurrency=1 --without-gossip \
		--without-mingle --loglevel=WARNING & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=$(DEBUG) MFA_REQUIRED=false $(MANAGE) runserver 127.0.0.1:$(PORT) --skip-checks

test: install
	$(UV) run --frozen pytest $(PYTEST_ARGS)

# The suite without the slow tests (those that start a process or a browser: the `slow`
# marker), for a quick loop while working, in two processes (pytest-xdist; PYTEST_ARGS="-n 0"
# runs it in one).
test-fast: install
	$(UV) run --frozen pytest -m "not slow" -n 2 $(PYTEST_ARGS)

# The layers contract (pyproject.toml, docs/adr/0011) fails when an app imports one above it.
lint: .venv/.synced
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports --no-cache

format: .venv/.synced
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

migrations-check: .venv/.synced
	$(MANAGE) makemigrations --check --dry-run

# Needs docker-compose (Debian's package of that name; .ci/run installs it when missing).
DOCKER_COMPOSE ?= docker-compose
compose-check:
	@command -v $(DOCKER_COMPOSE) >/dev/null 2>&1 || { \
		echo "make compose-check needs $(DOCKER_COMPOSE), which is not installed:" \
			"apt-get install docker-compose (Debian), or see https://docs.docker.com/compose/install/" >&2; \
		exit 1; }
	$(DOCKER_COMPOSE) --env-file .env.example -f docker-compose.yml config --quiet

# The production stack rehearsed natively (no Docker): gunicorn, two Celery workers and one
# beat in production mode on a scratch PostgreSQL database, a Redis of its own and an SMTP
# sink, with a person's journey over HTTP through it (ops/prod_check.py). Needs DATABASE_URL
# to reach PostgreSQL (a postgres:// URL; the scratch database is made beside it).
prod-check: install
	$(UV) run --frozen python ops/prod_check.py

# A compressed dump of DATABASE_URL under var/backups/, with its checksum; `make backup
# BACKUP_ARGS=--store` also puts both in the portal's bucket under backups/ (AWS_* variables).
backup: .venv/.synced
	$(UV) run --frozen python ops/backup.py backup $(BACKUP_ARGS)

# Restore a backup into DATABASE (default: DATABASE_URL's database), after a confirmation.
restore: .venv/.synced
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=var/backups/...dump" \
		"(or FILE=store:backups/...dump from the bucket)"; exit 2; }
	$(UV) run --frozen python ops/backup.py restore "$(FILE)" \
		--database "$${DATABASE:-$$(echo "$$DATABASE_URL" | sed 's|.*/||')}" $(RESTORE_ARGS)

# Back up a database with the demo and some edits, restore it elsewhere, compare.
backup-drill: .venv/.synced
	$(UV) run --frozen python ops/backup.py drill

# Load on the rehearsal's stack (bench/load.py); prints figures, asserts nothing.
load: install
	$(UV) run --frozen python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf .venv node_modules static/vendor staticfiles var/tools
