# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE ?= imc_site.settings.dev

.PHONY: run test install install-dev demo lint format-templates audit bench stack stack-stop clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# --no-compile: Python compiles a module when it is first imported; compiling every installed file up front
# took half of the install's time (22 s → 10 s of a fresh clone's `make test`).
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet --no-compile -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet --no-compile -r requirements-dev.txt
	bash scripts/install_test_tools.sh
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate the SQLite database, load the demo, serve on 127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: install and run the whole suite (quality gates, PostgreSQL, SQLite smoke, Chromium)
test: install-dev
	bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djhtml --check templates */templates

## make format-templates: re-indent the Django templates (djhtml), what the template gate checks
format-templates: install-dev
	$(VENV)/bin/djhtml templates */templates

## make audit: Lighthouse and the Nu Html Checker against a running demo (see bench/README.md)
audit: install-dev
	bash bench/audit.sh

## make bench: throughput benchmarks against gunicorn + PostgreSQL (see bench/README.md)
bench: install-dev
	bash bench/run.sh

## make stack: the production topology on this machine — nginx (deploy/nginx/, port 8080) in front of two
## gunicorn instances with production settings, PostgreSQL (imc_stack), Redis and the task worker (deploy/README.md)
stack: install-dev
	$(PY) -m scripts.stack up

## make stack-stop: stops what `make stack` started
stack-stop:
	$(PY) -m scripts.stack down

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected
