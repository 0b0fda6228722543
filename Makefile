# Synth Studio: the one entry point. `make run` starts the suite, `make test` checks it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
# PROFILE=default installs every engine; PROFILE=apache installs no Business-Source package (the
# SDV engine and its family: see tools/profiles.py), into .venv-apache unless VENV says otherwise.
PROFILE ?= default
ifeq ($(PROFILE),apache)
VENV ?= .venv-apache
else ifeq ($(PROFILE),default)
VENV ?= .venv
else
$(error PROFILE is default or apache, not '$(PROFILE)')
endif
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
PACKAGES := libs services/synthesis services/evaluation services/privacy services/pii services/llm gateway \
	clients/python engines/sdv
PROTOS := $(shell find protos -name '*.proto' | sort)
GENERATED := libs/synthstudio
# The web console, built into the gateway's package so that the gateway serves it at /.
CONSOLE := gateway/synthstudio_gateway/static/console/index.html
CONSOLE_MODULES := console/node_modules/.package-lock.json
# The TabularARGN engine host's own environment: mostlyai-engine needs numpy >= 2, .venv keeps
# numpy 1.26 for anonymeter. Installed from its own lock, every package pinned, with --no-deps.
ENGINE_VENV := .venvs/engine-tabular-argn
ENGINE_STAMP := $(ENGINE_VENV)/.installed
ENGINE_LOCK := engines/tabular_argn/requirements.lock

.PHONY: help install generate check-generated lint format test test-fast run migrate worker demo bench clean

help:
	@echo "make run    install, then start the five services and the gateway on 127.0.0.1:8000"
	@echo "make test   install, lint (ruff, buf) and run every test"
	@echo "make test-fast  every test but the slow end-to-end ones (while working)"
	@echo "make demo   the whole flow on real data (upload, scan, train, sample, evaluate, report)"
	@echo "            against the suite that 'make run' started"
	@echo "make worker runs a Celery worker (SYNTHSTUDIO_JOB_BACKEND=celery)"
	@echo "make generate | lint | format | migrate | bench | clean"

install: $(STAMP) $(CONSOLE) $(ENGINE_STAMP)

ifeq ($(PROFILE),apache)
# The lock less the Business-Source packages, with --no-deps so that pip never fetches one
# (sdmetrics declares copulas: see synthstudio_evaluation.sdmetrics_api), and every package of
# ours but the SDV engine (engines/sdv).
$(STAMP): constraints.txt tools/profiles.py package.json $(addsuffix /pyproject.toml,$(PACKAGES))
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/profiles.py apache constraints.txt > $(VENV)/requirements-apache.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -r $(VENV)/requirements-apache.txt \
		$(addprefix -e ,$(filter-out engines/sdv,$(PACKAGES))) 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; }; \
		exit $${PIPESTATUS[0]}
	$(PY) tools/profiles.py check apache
	npm install --no-audit --no-fund --silent
	touch $@
else
$(STAMP): constraints.txt requirements-dev.txt package.json $(addsuffix /pyproject.toml,$(PACKAGES))
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt \
		$(addprefix -e ,$(PACKAGES:services/llm=services/llm[groq,gemini])) -r requirements-dev.txt 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; }; \
		exit $${PIPESTATUS[0]}
	npm install --no-audit --no-fund --silent
	touch $@
endif

$(ENGINE_STAMP): $(ENGINE_LOCK) engines/tabular_argn/pyproject.toml libs/pyproject.toml
	test -x $(ENGINE_VENV)/bin/python || $(PYTHON) -m venv $(ENGINE_VENV)
	$(ENGINE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		-r $(ENGINE_LOCK) -e libs -e engines/tabular_argn 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; }; \
		exit $${PIPESTATUS[0]}
	touch $@

$(CONSOLE_MODULES): console/package.json console/package-lock.json
	npm ci --prefix console --no-audit --no-fund --silent

$(CONSOLE): $(CONSOLE_MODULES) console/build.mjs console/tsconfig.json $(shell find console/src -type f)
	npm run --prefix console --silent build

# Python stubs from the protos, into the `synthstudio` package of libs/. Never edit them.
generate: $(STAMP)
	rm -rf $(GENERATED)
	mkdir -p $(GENERATED)
	$(PY) -m grpc_tools.protoc -I protos -I third_party/googleapis \
		--python_out=libs --pyi_out=libs --grpc_python_out=libs $(PROTOS)
	$(PY) tools/finish_generated.py $(GENERATED)
	$(PY) tools/api_reference.py > docs/api-reference.md
	$(PY) tools/env_example.py > .env.example

check-generated: generate
	@git diff --exit-code -- $(GENERATED) docs/api-reference.md .env.example \
		|| (echo "generated code is stale: run 'make generate' and commit it" && exit 1)

lint: $(STAMP) $(CONSOLE_MODULES)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/basedpyright
	npx --no-install buf lint
	npm run --prefix console --silent typecheck

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(STAMP)
	$(VENV)/bin/synthstudio-migrate

test: $(STAMP) lint
	$(PY) -m pytest

# Skips the tests marked slow (the whole suite end to end, the CLI's long flows): minutes less.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

run: $(STAMP) $(CONSOLE) $(ENGINE_STAMP)
	$(PY) -m synthstudio_libs.suite

# A Celery worker for SYNTHSTUDIO_JOB_BACKEND=celery; start as many as you like, on any machine
# that shares the database, the artifact store and Redis.
worker: $(STAMP)
	$(VENV)/bin/celery -A synthstudio_libs.jobs.celery_app worker --pool=threads \
		--concurrency=$${SYNTHSTUDIO_JOB_WORKERS:-2} --loglevel=INFO \
		--queues=synthesis,evaluation,privacy,pii,llm

demo: $(STAMP)
	$(PY) -m synthstudio_cli.demo

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules .synthstudio .pytest_cache .ruff_cache console/node_modules \
		gateway/synthstudio_gateway/static test-output
