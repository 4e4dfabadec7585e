# The two commands a newcomer needs: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
WORKERS ?= 3
SERVERS ?= 2

.PHONY: help python-version install run serve serve-proxied test lint format browser nginx static \
	migrate clean hazard-log gettext compilemessages messages

help:
	@echo "make run     install, migrate, collect static files and serve on http://$(HOST):$(PORT)"
	@echo "make serve   run as production does: gunicorn, DEBUG off, hashed compressed static files"
	@echo "make serve-proxied  nginx (deploy/nginx/) in front of $(SERVERS) gunicorn servers, on port $(PORT)"
	@echo "make test    install test tools (and Chromium and nginx, with apt) and run the whole suite"
	@echo "make lint    ruff check, ruff format --check and makemigrations --check"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make messages  refresh the Spanish catalogue (locale/es/) from the code and templates"
	@echo "make hazard-log  render docs/safety/hazard-log.md from docs/safety/hazards.toml"

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
		echo "error: Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "       Install it, or run: make PYTHON=/path/to/python3.12 ..."; exit 1; }

# Re-install whenever pyproject.toml changes.
$(STAMP): pyproject.toml build-constraints.txt | python-version
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --build-constraint build-constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The reading pages' cache is a table of its own (settings.CACHES), not a migration.
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: migrate static compilemessages
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The access log: time, method, path without the query string, status, bytes, microseconds.
# No address, browser, query or Referer: together with the order of question pages they
# could tie a person to their answers (docs/deploy.md, "Logs").
ACCESS_LOG_FORMAT := %(t)s "%(m)s %(U)s" %(s)s %(B)s %(D)s

# As production runs it (docs/deploy.md): several gunicorn workers, DEBUG off. Uses SQLite
# unless DATABASE_URL is set. gunicorn 27 opens a control socket unless told not to.
serve: migrate static compilemessages
	DJANGO_DEBUG=0 $(BIN)/gunicorn oih_site.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--no-control-socket --access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)' \
		--forwarded-allow-ips "$${FORWARDED_ALLOW_IPS-127.0.0.1}"

# Production's proxy in front of SERVERS gunicorn servers of WORKERS workers each, all on
# 127.0.0.1: nginx with deploy/nginx/ on HOST:PORT (docs/deploy.md). Uses SQLite unless
# DATABASE_URL is set. The proxied tests (tests/proxy/) and bench/load start the same.
serve-proxied: migrate static compilemessages nginx
	DJANGO_DEBUG=0 $(BIN)/python scripts/serve-proxied --host $(HOST) --port $(PORT) \
		--servers $(SERVERS) --workers $(WORKERS)

# Debian's nginx, the proxy production runs in front of the app (deploy/nginx.conf).
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx >/dev/null; \
	else echo "note: no nginx and no apt-get: the proxied tests will be skipped"; fi

# Debian's Chromium drives the browser tests; Playwright cannot download its own here.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	else echo "note: no chromium and no apt-get: browser tests will be skipped"; fi

# GNU gettext's msgfmt compiles the translation catalogues; Debian's gettext package has it.
gettext:
	@if command -v msgfmt >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; \
	else echo "error: msgfmt (GNU gettext) is needed to compile the Spanish pages; install gettext."; exit 1; fi

# The catalogues in locale/ (django.po, committed) compiled to django.mo (never committed:
# .gitignore), only where the .po changed. Pages in Spanish need them.
I18N_IGNORE := --ignore .venv --ignore staticfiles --ignore staticfiles-manifest --ignore htmlcov
compilemessages: install gettext
	@if [ -d locale ]; then $(BIN)/python manage.py compilemessages $(I18N_IGNORE) --verbosity 0; fi

# After changing words patients see: gather every translatable string into the Spanish
# catalogue (new ones untranslated, changed ones marked fuzzy), ready for a translator.
messages: install gettext
	$(BIN)/python manage.py makemessages --locale es --no-obsolete $(I18N_IGNORE) \
		--ignore tests --ignore bench --ignore docs

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The rule layer must stay fully covered, every branch.
test: install browser nginx static compilemessages lint
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report --include=screening/rules.py --show-missing --fail-under=100

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

hazard-log: install
	$(BIN)/python scripts/hazard_log.py

clean:
	rm -rf $(VENV) staticfiles staticfiles-manifest .coverage htmlcov
	find locale -name '*.mo' -delete 2>/dev/null || true
