# The README's two commands: `make run` (the whole system here, against the simulator) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run dev test lint bench accuracy setup setup-uv lock lock-check upgrade redis-server clean

run: setup redis-server
	$(BIN)/releasebot db upgrade
	$(BIN)/releasebot demo

# The Procfile's processes (Procfile.dev: Redis, the simulator sending events, web, worker, clock), as Heroku
# runs them, under honcho (cli/devset.py stops Redis and the simulator last); the venv's commands on
# PATH, since each Procfile line runs in a shell. Ctrl-C stops them all, quietly (`exec`: no shell in between).
DEV_ENV ?= .env.dev
dev: setup redis-server
	$(BIN)/honcho run -e $(DEV_ENV) $(BIN)/releasebot db upgrade
	PATH="$(abspath $(BIN)):$$PATH" exec $(BIN)/python -m cli.devset Procfile.dev $(DEV_ENV)

test: setup redis-server
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

accuracy: setup
	$(BIN)/python -m releasebot.dev.accuracy

bench: setup redis-server
	$(BIN)/python bench/run_all.py

setup: $(VENV)/.installed

# Every install reads uv.lock (exact versions and hashes of every runtime, dev and optional dependency): the venv
# gets uv itself at the version the lock holds, then `uv sync --locked`, which refuses a lock that no longer
# matches pyproject.toml and removes anything the lock does not list. Nothing is resolved here.
UV := $(BIN)/uv
LOCKED_UV = $$($(PYTHON) -c 'import tomllib; print(next(p["version"] for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"))')
$(VENV)/.installed: pyproject.toml uv.lock
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(LOCKED_UV)"
	UV_PYTHON_DOWNLOADS=never $(UV) sync --quiet --locked --all-extras --python $(BIN)/python
	touch $@

# After editing dependencies in pyproject.toml: re-resolve only what changed, then install it.
lock: setup-uv
	$(UV) lock
	$(MAKE) setup

# Fails when pyproject.toml and uv.lock disagree (a dependency added without `make lock`).
lock-check: setup-uv
	$(UV) lock --check

# The deliberate upgrade: every dependency to its newest release allowed by pyproject.toml, what changed
# printed, then the whole test suite. If the tests fail, `git checkout uv.lock && make setup` goes back.
upgrade: setup-uv
	$(UV) lock --upgrade 2>&1 | grep -E '^(Updated|Added|Removed)' || echo "uv.lock: nothing newer"
	$(MAKE) test

setup-uv:
	@[ -x $(UV) ] || $(MAKE) setup

# A real Redis when one can be installed (root with apt-get); otherwise the demo embeds one and says so.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing redis-server with apt-get"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
	      || echo "could not install redis-server"; \
	  else echo "redis-server not found and cannot be installed here (not root, or no apt-get)"; fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
