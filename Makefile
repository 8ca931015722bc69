# The contract: `make run` serves the portal with demo data; `make test` runs the whole suite.
# Both set everything up first and are quick when nothing has changed.

PYTHON ?= python3
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
VENDOR := static/vendor/nhsuk

.PHONY: install run test test-fast lint format migrations-check compose-check clean

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
	@touch $@

run: install
	@mkdir -p var/mail
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo
	MFA_REQUIRED=false $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(UV) run --frozen pytest $(PYTEST_ARGS)

# The suite without the browser tests, for a quick loop while working, in two processes
# (pytest-xdist; PYTEST_ARGS="-n 0" runs it in one).
test-fast: install
	$(UV) run --frozen pytest -m "not browser" -n 2 $(PYTEST_ARGS)

lint: .venv/.synced
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: .venv/.synced
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

migrations-check: .venv/.synced
	$(MANAGE) makemigrations --check --dry-run

compose-check:
	docker-compose --env-file .env.example -f docker-compose.yml config --quiet

clean:
	rm -rf .venv node_modules static/vendor staticfiles var/tools
