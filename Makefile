# Improvement Board: `make run` to use it, `make test` to check it. GNU make; needs only Python 3.11+.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test bench lint clean

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.stamp-requirements
DEV_STAMP := $(VENV)/.stamp-requirements-dev
# Every core: the suite is mostly waiting on servers, browsers and child processes. PYTEST_ARGS=-n0
# runs it in one process (e.g. to use a debugger).
PYTEST_ARGS ?= -n auto

# pip never downloads a browser, but say so for anything playwright runs: tests use Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

help:
	@echo "make run    - set up .venv, migrate and seed data/board.db, start the app on http://localhost:8501"
	@echo "make test   - set up .venv with the dev tools and run the whole test suite"
	@echo "make bench  - run every bench/bench_*.py (fails if any misses its target)"
	@echo "make lint   - ruff format --check, ruff check and lint-imports (the layer rules; CI runs it too)"
	@echo "make clean  - remove .venv, caches and test artifacts (keeps data/)"

# The virtual environment, made with the system Python. Debian splits venv out of python3:
# a failed `python3 -m venv` leaves a half-made .venv behind, so remove it and say what to install.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "error: Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing). Try: make PYTHON=python3.12 ..." >&2; \
		exit 1; }
	@$(PYTHON) -m venv $(VENV) || { \
		rm -rf $(VENV); \
		echo "hint: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install it with: sudo apt-get install python3-venv" >&2; \
		exit 1; }
	@test -x $(PY) || { echo "error: '$(PYTHON) -m venv $(VENV)' made no $(PY)" >&2; exit 1; }

# Pinned requirements, installed again only when a requirements file changes (stamp files in .venv).
$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

# One upload limit for the page, the server and the command line: BOARD_MAX_UPLOAD_MB (default 20)
# is also given to Streamlit's server, so it refuses larger requests before they reach the app.
run: $(RUN_STAMP)
	$(PY) -m data_access migrate
	$(PY) -m data_access seed --if-empty
	@upload_mb=$$($(PY) -m data_access.importer.reading.safety) || exit 1; \
	echo "STREAMLIT_SERVER_MAX_UPLOAD_SIZE=$$upload_mb $(VENV)/bin/streamlit run app.py ..."; \
	STREAMLIT_SERVER_MAX_UPLOAD_SIZE=$$upload_mb exec $(VENV)/bin/streamlit run app.py \
		--server.port 8501 --server.address localhost --server.headless true

# The whole suite. pytest's exit code 5 ("no tests collected") is a failure here, never a pass.
test: $(DEV_STAMP)
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit code 5)" >&2; exit 1; fi; \
	exit $$rc

# Each bench script prints its results and exits non-zero when over its target. Run them all,
# then fail if any failed (or if there are none).
bench: $(DEV_STAMP)
	@shopt -s nullglob; scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "error: no bench/bench_*.py scripts found" >&2; exit 1; fi; \
	failed=(); \
	for script in "$${scripts[@]}"; do \
		echo "==== $$script"; \
		PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" $(PY) "$$script" || failed+=("$$script"); \
	done; \
	echo "==== $$(( $${#scripts[@]} - $${#failed[@]} )) of $${#scripts[@]} benchmarks within target"; \
	if [ $${#failed[@]} -gt 0 ]; then echo "error: over target or failed: $${failed[*]}" >&2; exit 1; fi

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts test-results bench/results
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
