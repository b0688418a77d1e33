# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format messages check-browser clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null
	$(BIN)/python -m pip install -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund && touch $@; \
	else echo "npm not found: accessibility checks will be skipped"; fi

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo "Ashyq at http://$(HOST):$(PORT)/  (HTTP and websockets; Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the translation catalogues from the sources (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale kk --locale ru --locale en --ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*" --ignore "locale_vendor/*" --ignore "*.egg-info/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*"

test: install node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run --settings=ashyq.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles

# Live conference delivery benchmark (docs/performance.md): 1,000 websocket clients, Redis
# at 127.0.0.1:6379 (DB 13). Extra options: BENCH_ARGS="--processes 2".
.PHONY: bench-conference
bench-conference: install
	$(BIN)/python benchmarks/conference_live.py --clients 1000 --answers 20 $(BENCH_ARGS)

# Search latency benchmark (docs/performance.md): 200,000 index entries in a throwaway
# PostgreSQL database (ashyq_bench_search at 127.0.0.1:5432, dropped at the end).
# Extra options: BENCH_ARGS="--runs 50 --json out.json".
.PHONY: bench-search
bench-search: install
	$(BIN)/python benchmarks/search_latency.py --entries 200000 --runs 200 $(BENCH_ARGS)

# Civic tracking at scale (docs/performance.md): 1,000,000 obligations in a throwaway
# PostgreSQL database (ashyq_bench_tracking at 127.0.0.1:5432, dropped at the end).
# Extra options: BENCH_ARGS="--runs 10 --json out.json".
.PHONY: bench-tracking
bench-tracking: install
	$(BIN)/python benchmarks/tracking_scale.py --obligations 1000000 --runs 20 $(BENCH_ARGS)
