# The two commands of the README:  `make run`  and  `make test`.
# Both start from a fresh machine: they make the virtualenv and install what is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-test chromium test-browser translations gettext messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

VIEWER := catalog/site/static/vendor/openseadragon/openseadragon.min.js
install: $(VENV)/.installed $(VIEWER)
install-test: $(VENV)/.installed-test $(VIEWER)

# The item page's deep-zoom viewer (OpenSeadragon) comes from npm at the version package-lock.json
# pins, and is copied where Django's static files are found; neither folder is committed.
VIEWER_DIR := $(dir $(VIEWER))
.PHONY: assets npm
assets: $(VIEWER)
npm:
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's Node.js and npm for the site's viewer"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
$(VIEWER): package.json package-lock.json | npm
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(VIEWER_DIR)
	cp node_modules/openseadragon/build/openseadragon/openseadragon.min.js node_modules/openseadragon/LICENSE.txt $(VIEWER_DIR)/
	touch $@

# Debian's chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# IIPImage behind lighttpd, the reference server of benchmarks/iiif.py (Debian's packages; the
# benchmark runs both with a configuration of its own, so neither is started as a service here).
.PHONY: iipimage
iipimage:
	@test -x /usr/lib/iipimage-server/iipsrv.fcgi && command -v lighttpd >/dev/null 2>&1 || { \
		echo "Installing Debian's iipimage-server and lighttpd for benchmarks/iiif.py"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iipimage-server lighttpd >/dev/null; }

# libmagic, which the IIIF Image API validator of the suite loads (iiif-validator's python-magic).
.PHONY: libmagic
libmagic:
	@ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || { \
		echo "Installing Debian's libmagic1 for the IIIF validator test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null; }

# The translations Django reads (.mo), compiled from catalog/locale/*/LC_MESSAGES/*.po with polib:
# no gettext tools needed to run Arkiv. A new language is one new .po file.
translations: install
	$(PY) manage.py compile_translations

# GNU gettext, for `make messages` and the test that the .po files are up to date with the code.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
		echo "Installing GNU gettext for the translation tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# After marking or changing interface strings: every .po file brought up to date, to translate.
messages: install gettext
	$(PY) manage.py update_translations

# What `make run` does before it serves. It runs on every start, so no step may change an
# archivist's data: load_demo loads only into an empty catalogue, ensure_admin only creates a
# login where there is none. ARKIV_DEMO=0 (in the environment or after `make run`) starts an
# empty catalogue of one's own.
ARKIV_DEMO ?= 1
.PHONY: prepare
prepare: install translations
	$(PY) manage.py migrate --noinput
ifeq ($(ARKIV_DEMO),0)
	@echo "ARKIV_DEMO=0: the demo catalogue is not loaded."
else
	$(PY) manage.py load_demo
endif
	$(PY) manage.py ensure_admin
	$(PY) manage.py make_pyramids --missing --no-progress  # images ingested before pyramids existed

# The task worker runs beside the web server: imports, folder ingests, large moves, pyramids and
# large reindexes are tasks (catalog/tasks.py) that wait in the database (or in Redis with
# ARKIV_TASKS=rq) until a worker takes them. Ctrl-C stops both; a task cut short is undone
# (imports and moves are one transaction) and its page offers to start it again.
ifeq ($(ARKIV_TASKS),rq)
WORKER ?= $(PY) manage.py rqworker --job-class django_tasks_rq.Job default
else
WORKER ?= $(PY) manage.py db_worker --no-reload --interval 0.5
endif

run: prepare
	@echo "Arkiv is at http://$(HOST)/ (admin: http://$(HOST)/admin/); its task worker runs beside it. Ctrl-C stops both."
	@$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

test: install-test translations chromium gettext libmagic
	$(PY) -m pytest $(PYTEST_ARGS)

# Only the end-to-end tests of the public site (headless chromium); screenshots in test-artifacts/.
test-browser: install-test translations chromium
	$(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

# Production (README, Deployment). Every command reads the settings from ENV_FILE, the KEY=value
# file that systemd's unit for gunicorn reads too, so commands and server see the same settings.
ENV_FILE ?= /srv/arkiv/arkiv.env
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
WITH_ENV = set -a && . $(abspath $(ENV_FILE)) && set +a &&

.PHONY: deploy serve manage

# After the first clone and after every pull: dependencies, database schema, static files for the
# web server, and Django's deployment check (fails on any warning).
deploy: install
	$(WITH_ENV) $(PY) manage.py migrate --noinput
	$(WITH_ENV) $(PY) manage.py collectstatic --noinput
	$(WITH_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# gunicorn on BIND, for a web server in front; the systemd unit in the README runs the same command.
serve: install
	$(WITH_ENV) exec $(VENV)/bin/gunicorn archive.wsgi --bind $(BIND) --workers $(WORKERS) --timeout 120 --access-logfile -

# Any manage.py command under the production settings:  make manage CMD="createsuperuser"
manage: install
	$(WITH_ENV) $(PY) manage.py $(CMD)
