# The README's two commands: `make run` (the whole system here, against the simulator) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run dev test lint bench accuracy setup redis-server clean

run: setup redis-server
	$(BIN)/releasebot demo

# The Procfile's processes (Procfile.dev: Redis, the simulator sending events, web, worker, clock), as Heroku
# runs them; the venv's commands on PATH, since each Procfile line runs in a shell. Ctrl-C stops them all.
DEV_ENV ?= .env.dev
dev: setup redis-server
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile.dev -e $(DEV_ENV)

test: setup redis-server
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

accuracy: setup
	$(BIN)/python -m releasebot.dev.accuracy

bench: setup redis-server
	$(BIN)/python bench/run_all.py

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,dashboard]'
	touch $@

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
