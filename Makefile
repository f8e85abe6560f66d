# Observatoire de la maturité numérique des territoires.
#   make run   installe, construit le référentiel, ingère et note la démo, sert le tableau de bord
#   make test  installe et lance tous les tests (durées des plus lents, couverture)
#   make test-fast  les tests unitaires seuls (moins d'une minute)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8050
DAGSTER_PORT ?= 3000

export DAGSTER_HOME ?= $(CURDIR)/var/dagster

.PHONY: help install run data serve dagster test test-fast test-packages lint

help:
	@echo "make run   : installe, prépare les données de démonstration et sert http://$(HOST):$(PORT)"
	@echo "make test  : installe et lance tous les tests"
	@echo "make test-fast : les tests unitaires seuls (sans pipeline, serveur ni navigateur)"
	@echo "make dagster : interface Dagster sur http://$(HOST):$(DAGSTER_PORT)"

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "Python 3.11 est requis (trouvé : $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(INSTALLED)

install: $(INSTALLED)

$(DAGSTER_HOME)/dagster.yaml: pipelines/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp pipelines/dagster.yaml $@

data: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/observatoire demo
	$(BIN)/observatoire refresh

# The dashboard in the foreground; Dagster (webserver + daemon: schedule, sensors) in the
# background, in its own process group, stopped with the dashboard.
run: data
	@echo ""
	@echo "Tableau de bord : http://$(HOST):$(PORT)  (Ctrl+C pour arrêter)"
	@echo "Interface Dagster (actifs, contrôles, capteurs, planification) : http://$(HOST):$(DAGSTER_PORT)"
	@echo "Un fichier déposé dans var/incoming est ingéré et publié sans autre action."
	@set -m; \
	$(BIN)/dagster dev -m pipelines.definitions -h $(HOST) -p $(DAGSTER_PORT) > var/dagster-dev.log 2>&1 & \
	dagster_pid=$$!; \
	set +m; \
	trap 'kill -INT -- -'$$dagster_pid' 2>/dev/null; sleep 3; kill -KILL -- -'$$dagster_pid' 2>/dev/null; exit 0' INT TERM EXIT; \
	$(BIN)/gunicorn -c gunicorn.conf.py --workers 2 --bind $(HOST):$(PORT) --access-logfile - dashboards.app:server

serve: install
	$(BIN)/gunicorn -c gunicorn.conf.py --workers 2 --bind $(HOST):$(PORT) --access-logfile - dashboards.app:server

dagster: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m pipelines.definitions -h $(HOST) -p $(DAGSTER_PORT)

# Debian packages the tests use: Chromium (browser tests), LibreOffice Calc (files made
# the way users make them) and PostgreSQL (the production Dagster instance; the test starts
# its own server). Installed when missing and we are root (as in CI); otherwise the command
# to run is printed and those tests are skipped.
TEST_PACKAGES := chromium libreoffice-calc-nogui postgresql
test-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then \
		true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de :$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Paquets manquants :$$missing. Installez-les avec « sudo apt-get install$$missing » (tests correspondants ignorés)."; \
	fi

# Everything, browser included: the ten slowest tests, and the line coverage of the code
# ([tool.coverage.run] in pyproject.toml).
test: install test-packages
	$(BIN)/pytest --durations=10 --cov --cov-report=term

# Unit tests only (tests/unit): no materialization, no server, no browser.
test-fast: install
	$(BIN)/pytest tests/unit

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
