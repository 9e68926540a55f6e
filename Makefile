# Two commands for a newcomer: `make run` and `make test`.
# Everything installs into .venv (Python) and node_modules (assets) here.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ASSETS := static/vendor/.installed

# A Python >= 3.12: PATH first, then pyenv's installed versions.
find_python = $(shell for p in python3.13 python3.12 python3 python; do \
	  c=$$(command -v $$p 2>/dev/null) || continue; \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; exit; }; \
	done; \
	root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
	for c in $$(ls -d $$root/versions/3.*/bin/python3 2>/dev/null | sort -rV); do \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; exit; }; \
	done)

.PHONY: run test install assets migrate messages lint format check clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The suite runs in parallel, one pytest-xdist worker per core, each test file
# on one worker (module-wide worlds are built once). Naming test files
# (tests/x.py, tests/x.py::test_y) runs them in this process instead, as does
# PYTEST_WORKERS=0; a later -n in PYTEST_ARGS wins over this one.
PYTEST_WORKERS ?= auto
pytest_files = $(filter %.py,$(PYTEST_ARGS))$(findstring .py::,$(PYTEST_ARGS))
pytest_parallel = $(if $(or $(pytest_files),$(findstring no:xdist,$(PYTEST_ARGS))),,-n $(PYTEST_WORKERS) --dist loadfile)

test: install
	$(PY) -m pytest $(pytest_parallel) $(PYTEST_ARGS)

install: $(STAMP) $(ASSETS) messages

assets: $(ASSETS)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || { \
	  python="$(find_python)"; \
	  if [ -z "$$python" ]; then \
	    echo "Python 3.12 or newer is needed (Django 6.1). Install it on PATH or with pyenv, then run make again." >&2; \
	    exit 1; \
	  fi; \
	  echo "Using $$python"; \
	  $$python -m venv $(VENV); \
	}
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the front-end assets (Node.js 18 or newer)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor
	mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons static/vendor/htmx static/vendor/chartjs
	cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font static/vendor/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chartjs/
	touch $@

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed to compile translations: install gettext." >&2; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
