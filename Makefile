# Welzijnswijzer. `make run` starts everything on embedded defaults; `make test` runs the tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.10 is required by rasa 3.6. Use PYTHON=... to point elsewhere.
PYENV_PY310 := $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10)))
PYTHON ?= $(shell if python3.10 -c '' >/dev/null 2>&1; then echo python3.10; else echo $(PYENV_PY310); fi)

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
VAR := var
export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning
# endpoints.yml reads these; defaults for rasa commands run outside bot.run
export WW_TRACKER_DB ?= $(CURDIR)/$(VAR)/rasa_tracker.db
export WW_ACTION_SERVER_URL ?= http://127.0.0.1:5055

.PHONY: help install run test test-without-model eval bench lock spacy model db validate clean

help:
	@echo "make run    start the assistant (chat on http://127.0.0.1:$${WW_WEB_PORT:-8000}/)"
	@echo "make test   validate data, train (cached) and run all tests"
	@echo "make eval   NLU figures on ../shared/eval (accuracy, macro-F1, typo copy, 5-fold CV)"
	@echo "make bench  sociale kaart benchmark (100k activities)"

# The venv is rebuilt only when the dependency files change.
$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.10 niet gevonden: zet PYTHON=/pad/naar/python3.10"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<24.1" wheel
	@# uv installs the same pinned set in about 20 s where pip takes 2.5 minutes (docs/testing.md);
	@# pip does it when uv cannot be had or fails.
	{ $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)" && \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e ".[dev]"; } || \
	  $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(STAMP)

# Regenerate the lock file after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

spacy: $(STAMP)
	@$(BIN)/python -m bot.nlp.build_spacy $(VAR)/spacy_nl

db: $(STAMP)
	@$(BIN)/python -m bot.cli setup-db

model: spacy
	@$(BIN)/python -m bot.training

# rasa 3.6 only warns "... is not used in any story or rule", even with
# --fail-on-warnings; here such a warning fails the step too.
validate: spacy
	@set -o pipefail; $(BIN)/rasa data validate --fail-on-warnings --quiet 2>&1 | tee $(VAR)/validate.log
	@if grep "is not used in any story or rule" $(VAR)/validate.log; then \
	  echo "rasa data validate: every intent and response must be used by a story or rule (docs/conversation.md)"; \
	  exit 1; fi

run: spacy db model
	@$(BIN)/python -m bot.run

# The whole suite on SQLite (the default back end), then the end-to-end tests once more
# on PostgreSQL + Redis: real servers from the machine's packages, fresh databases per
# stack (tests/conftest.py, tests/support/stack.py). tests/scale/test_e2e_postgres_redis.py
# runs in the second pass (on its shared stack); the `scale` tests (replicated profile)
# bring their own PostgreSQL + Redis and run in the first pass only.
# TEST_WORKERS pytest-xdist workers (one per core; 0 = no xdist); each module stays on one
# worker (tests/conftest.py: groups), each worker has its own shared stack.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup
# Pass 2 leaves out the end-to-end modules whose subject does not depend on the back end
# (the crisis tables and understanding turns through the stack, the widget in a browser):
# they cost most of pass 2's time and keep CI within its budget on 2 cores.
# `make test PASS2_SKIP=` runs every end-to-end test on PostgreSQL + Redis too.
PASS2_SKIP ?= tests/e2e/test_safety_e2e.py tests/e2e/test_understanding_e2e.py tests/browser
PASS1 := $(PYTEST) --ignore=tests/scale/test_e2e_postgres_redis.py $(PYTEST_ARGS)
# Pass 1 in two parts (tests/conftest.py, WW_TEST_PART): with `make -j2 test` the tests that
# need no trained model run while the model trains, which leaves about a third of the 2 cores
# idle; `nice` keeps the training first in line for the cores. The rest follows once the model is there.
test-without-model: validate db
	@# exit code 5 = no test in PYTEST_ARGS' selection for that part
	WW_TEST_PART=without-model WW_TEST_BACKEND=sqlite nice -n 10 $(PASS1) || test $$? -eq 5

test: test-without-model model
	WW_TEST_PART=with-model WW_TEST_BACKEND=sqlite $(PASS1) || test $$? -eq 5
	WW_TEST_BACKEND=postgres $(PYTEST) -m "e2e and not scale" $(addprefix --ignore=,$(PASS2_SKIP)) $(PYTEST_ARGS) || test $$? -eq 5

eval: model
	$(BIN)/python bench/eval_nlu.py

bench: $(STAMP)
	$(BIN)/python bench/sociale_kaart_bench.py
	$(BIN)/python bench/hsds_api_bench.py

clean:
	rm -rf $(VAR) .pytest_cache
