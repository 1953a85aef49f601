# CVPlus: `make run` sets everything up and serves the demo on http://localhost:8000; `make test` runs the checks.
# `make prod` serves the same demo as production runs it (gunicorn, production settings, DEBUG off) on port 8001.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
PROD_PORT ?= 8001

.PHONY: run prod setup install test lint format bench clean-demo

run: setup
	PORT=$(PORT) bash scripts/run_demo.sh

prod: PORT = $(PROD_PORT)
prod: setup
	PORT=$(PORT) bash scripts/run_prod.sh

setup: install
	$(PY) manage.py db_prepare
	$(PY) manage.py migrate_schemas --shared --noinput -v 0
	$(PY) scripts/compile_catalogues.py
	$(PY) manage.py demo_setup --port $(PORT)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install --quiet uv
	$(UV) pip install --quiet --python $(PY) -r pyproject.toml --extra dev
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	bash scripts/ensure_package.sh chromium
	$(PY) scripts/compile_catalogues.py > /dev/null
	$(VENV)/bin/pytest --create-db -q

bench: install
	bash scripts/ensure_package.sh wrk
	$(PY) bench/tenants.py
	$(PY) bench/tracking.py
	$(PY) bench/predict.py
	$(PY) bench/billing.py
	$(PY) bench/market.py
