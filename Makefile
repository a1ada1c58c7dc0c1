# i-Dee: Thai complaint bot of the Ministry of Industry on LINE.
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 runs only on Python 3.10: look for it where this workplace keeps it, then on PATH.
PYTHON310 ?= $(shell for p in /root/.pyenv/versions/3.10.13/bin/python3.10 $$(ls -d /root/.pyenv/versions/3.10.*/bin/python3.10 2>/dev/null) $$(command -v python3.10 2>/dev/null); do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

RASA_VENV := .venv/rasa
APP_VENV  := .venv/app
RASA      := $(RASA_VENV)/bin/python -m rasa
APP_PY    := $(APP_VENV)/bin/python
RASA_PY   := $(RASA_VENV)/bin/python
MODEL     := models/idee.tar.gz
NLU       ?= tests/nlu/heldout.yml tests/nlu/heldout_real_style.yml tests/nlu/heldout_english.yml
TRAIN_DATA := data bot/dialogue

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
# `make run` and `make train` show what a person needs (progress, URLs, where the logs are):
# third-party deprecation notices (TensorFlow, Sanic, SQLAlchemy 1.4 inside Rasa) are
# filtered; Rasa's own warnings about our data stay visible. Tests set their own filters.
# Rasa's note that RegexEntityExtractor and DIET may find the same span is answered by
# design: nlu.entity_merger.EntityMerger keeps one entity per span.
QUIET_WARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning,ignore:You have an overlap between the 'RegexEntityExtractor':UserWarning
run train migrate: export PYTHONWARNINGS := $(QUIET_WARNINGS)
run train: export LOG_LEVEL_LIBRARIES := ERROR
export PYTHONPATH := $(CURDIR)
# Bytecode is cached (__pycache__, git-ignored): each test process and server imports
# thousands of modules (Rasa, TensorFlow, SQLAlchemy) and compiles them once, not every time.
unexport PYTHONDONTWRITEBYTECODE
# The unit tests run on every core (pytest-xdist), each test file on one worker so that its
# module fixtures are built once; every worker has its own databases, ports and folders.
PYTEST_PARALLEL := -n auto --dist loadfile
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:5055/webhook
# The held-out NLU file: never exported into data/, the gate's and the leakage check's reference.
export TRAINER_HELDOUT ?= $(CURDIR)/tests/nlu/heldout.yml

.PHONY: help setup python310 run train evaluate validate migrate test test-unit test-nlu test-e2e test-faults bench-load test-stories lock clean create-admin seed import-registry check-data compare deploy-model check lint types services

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

python310: ## Check that Python 3.10 is available (Rasa 3.6 needs it)
	@if [ -z "$(PYTHON310)" ]; then \
		echo "error: Python 3.10 not found. Rasa 3.6.21 runs only on Python 3.10." >&2; \
		echo "  install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv'," >&2; \
		echo "  or point PYTHON310=/path/to/python3.10 at one." >&2; exit 1; fi

setup: python310 $(RASA_VENV)/.installed $(APP_VENV)/.installed ## Create both virtual environments from the lock files (idempotent)
	@[ -x /usr/bin/chromium ] || echo "note: browser tests (tests/browser) need Debian's chromium: apt-get install chromium fonts-thai-tlwg (.ci/run does it)"

# A developer's environment: the run lock (what the image holds) plus the test lock (tests,
# lint, types), both with hashes. The images install the run lock only.
$(RASA_VENV)/.installed: requirements/rasa.lock requirements/rasa-test.lock
	@echo "==> Rasa environment ($(RASA_VENV)) with $(PYTHON310)"
	@[ -x $(RASA_VENV)/bin/python ] || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock -r requirements/rasa-test.lock
	@touch $@

$(APP_VENV)/.installed: requirements/app.lock requirements/app-test.lock
	@echo "==> actions/cases/web environment ($(APP_VENV)) with $(PYTHON310)"
	@[ -x $(APP_VENV)/bin/python ] || $(PYTHON310) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/app.lock -r requirements/app-test.lock
	@touch $@

# pip-compile keeps every version already in a lock file; `make lock UPGRADE=1` (or
# UPGRADE=<package>) re-resolves. Run locks first: each test lock is constrained by its run lock.
PIP_COMPILE = $(APP_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))
lock: setup ## Re-resolve requirements/*.in into the hashed lock files (pip-compile)
	cd requirements && for name in app app-test rasa rasa-test; do \
		echo "==> requirements/$$name.lock"; ../$(PIP_COMPILE) -o $$name.lock $$name.in || exit 1; done

# The model is retrained when the pipeline, the domain, the dialogue or the NLU data change.
$(MODEL): config.yml $(shell find bot data nlu -name '*.yml' -o -name '*.py' 2>/dev/null)
	@$(MAKE) --no-print-directory train

# The data are checked by tools.validate_data (Rasa's checks, told which responses the code
# sends), so Rasa's own pass inside `rasa train`, which calls nearly every response unused,
# is skipped. rasa_server keeps PYTHONWARNINGS in force after Sanic's import resets it.
train: setup ## Train a versioned model models/idee-<YYYYMMDD-HHMM>-<datahash8>.tar.gz; models/idee.tar.gz links to it
	@echo "==> checking the training data"
	@$(RASA_PY) -m tools.validate_data --config config.yml --domain bot/domain --data $(TRAIN_DATA)
	@echo "==> training (NLU + dialogue), 3-6 minutes on 2 cores; progress below"
	@start=$$(date +%s); version=$$($(RASA_PY) -m training.versioning name) && \
	$(RASA_PY) -m rasa_server train --skip-validation --config config.yml --domain bot/domain --data $(TRAIN_DATA) \
		--out models --fixed-model-name $$version && \
	$(RASA_PY) -m training.versioning promote models/$$version.tar.gz && \
	echo "==> trained models/$$version.tar.gz in $$(( $$(date +%s) - start ))s"

validate: setup ## Check the training data and domain for consistency (rasa data validate; responses sent by code count as used)
	$(RASA_PY) -m tools.validate_data --config config.yml --domain bot/domain --data $(TRAIN_DATA)

check-data: setup ## Duplicated/conflicting examples, held-out leakage, class balance (training/check_data.py)
	$(APP_PY) -m training.check_data

compare: setup ## Gate a new model: make compare CANDIDATE=models/idee-....tar.gz CURRENT=<live model>
	$(APP_PY) -m training.compare --candidate $(CANDIDATE) --current $(CURRENT) $(if $(FORCE),--force)

deploy-model: setup ## Hot swap a gated model into the running Rasa: make deploy-model MODEL_FILE=models/idee-....tar.gz
	$(APP_PY) -m training.hot_swap deploy $(MODEL_FILE) $(if $(FORCE),--force)

evaluate: setup $(MODEL) ## Score the NLU + TF-IDF baseline on each held-out file: make evaluate [NLU="a.yml b.yml"]
	$(RASA_PY) -m evaluation --model $(MODEL) $(foreach f,$(NLU),--nlu $(f)) --train data --out results \
		$(if $(filter tests/nlu/heldout.yml,$(firstword $(NLU))),--report benchmarks/nlu.md,--report results/nlu.md)

migrate: setup ## Apply the case-database migrations (DATABASE_URL, default SQLite under var/)
	$(APP_PY) -m cases.migrate upgrade

create-admin: setup migrate ## Create the first console administrator: make create-admin USERNAME=admin
	$(APP_PY) -m cases.accounts_cli create-admin --username $(or $(USERNAME),admin)

seed: setup migrate ## Fill the case database with demo tickets over a year and a demo factory registry: make seed TICKETS=5000 FACTORIES=3000
	$(APP_PY) -m cases.seed --tickets $(or $(TICKETS),5000)
	$(APP_PY) -m cases.registry.demo --factories $(or $(FACTORIES),3000) --link-tickets

import-registry: setup migrate ## Import or update the factory registry from a DIW-style CSV: make import-registry FILE=factories.csv
	@[ -n "$(FILE)" ] || { echo "usage: make import-registry FILE=path.csv" >&2; exit 2; }
	$(APP_PY) -m cases.registry.importer "$(FILE)"

run: setup $(MODEL) migrate ## Run Rasa (5005), actions (5055) and the web app (8000); simulator without LINE credentials
	$(APP_PY) -m tools.run_stack

services: ## Check that PostgreSQL (5432), Redis (6379) and RabbitMQ (5672) answer on 127.0.0.1
	@for service in PostgreSQL:5432 Redis:6379 RabbitMQ:5672; do name=$${service%%:*}; port=$${service##*:}; \
		(exec 3<>/dev/tcp/127.0.0.1/$$port) 2>/dev/null || { \
		echo "error: $$name is not answering on 127.0.0.1:$$port; make test needs PostgreSQL, Redis and RabbitMQ (.ci/run starts them; README: Prerequisites)" >&2; exit 1; }; done

lint: python310 $(APP_VENV)/.installed ## ruff (lint and format check)
	$(APP_VENV)/bin/ruff check .
	$(APP_VENV)/bin/ruff format --check .

types: python310 $(APP_VENV)/.installed ## mypy on the packages listed in pyproject.toml ([tool.mypy] files)
	$(APP_VENV)/bin/mypy

# The inner loop: no server, no browser, no model. Tests that need PostgreSQL, Redis,
# RabbitMQ (marker `servers`, tests/conftest.py), Rasa or a browser are left to `make test`.
check: python310 $(APP_VENV)/.installed ## Fast inner loop: lint, types, layering, unit tests without servers
	@start=$$(date +%s); \
	$(APP_VENV)/bin/ruff check . && \
	$(APP_VENV)/bin/mypy && \
	$(APP_PY) -m pytest -q -x $(PYTEST_PARALLEL) -m "not browser and not servers" \
		--ignore=tests/nlu --ignore=tests/e2e --ignore=tests/browser --ignore=tests/deploy/test_images.py tests && \
	$(APP_VENV)/bin/ruff format --check --quiet . && \
	echo "==> check passed in $$(( $$(date +%s) - start ))s"

# One model, trained from the current data with the production pipeline (only when stale),
# serves the NLU tests, the Rasa test stories and the end-to-end tests.
test: setup services ## Run every test: data checks, NLU, test stories, unit (SQLite + PostgreSQL), end to end
	@start=$$(date +%s); \
	stage() { local t=$$(date +%s); $(MAKE) --no-print-directory "$$1" || return 1; \
		echo "==> make $$1: $$(( $$(date +%s) - t ))s (load $$(cut -d' ' -f1-3 /proc/loadavg))"; }; \
	stage validate && stage check-data && stage $(MODEL) && stage test-nlu && stage test-stories && \
	stage test-unit && E2E_MODEL=$(CURDIR)/$(MODEL) stage test-e2e && \
	echo "==> all tests passed in $$(( $$(date +%s) - start ))s"

test-nlu: setup ## Tests of the Rasa components in nlu/ (Rasa environment)
	$(RASA_PY) -m pytest -q -p no:cacheprovider tests/nlu

test-unit: setup ## Unit and integration tests of cases/, actions/, gateway/, console/, web/
	$(APP_PY) -m pytest -q $(PYTEST_PARALLEL) tests --ignore=tests/nlu --ignore=tests/e2e

test-stories: setup ## Rasa conversation tests (tests/stories) on a trained model: make test-stories MODEL=models/idee.tar.gz
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --model $(MODEL) --out results/stories

test-e2e: setup ## End to end: real Rasa + actions + gateway + fake LINE, the trainers' loop, faults on the scale-out topology
	$(APP_PY) -m pytest -q tests/e2e

test-faults: setup ## Only the fault tests on the scale-out topology: make test-faults FAULTS_MODEL=models/idee.tar.gz
	$(APP_PY) -m pytest -q tests/e2e/test_faults.py

bench-load: setup ## Load benchmark on the scale-out topology: make bench-load RATE=50 MESSAGES=3000
	$(APP_PY) -m benchmarks.load --model $(MODEL) --rate $(or $(RATE),50) --messages $(or $(MESSAGES),3000)

clean: ## Remove models, results and local data (keeps the environments)
	rm -rf models results var
