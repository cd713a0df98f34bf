# Gongzhi: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
UV ?= uv
PY := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000
# Compiled modules are cached under var/pycache, also where PYTHONDONTWRITEBYTECODE is set: without the
# cache every process (each pytest worker, each server a test starts, each check) compiled Django, its
# dependencies and the project again, about 8 s of CPU for a pytest worker's collection alone.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/var/pycache

.PHONY: run test test-durations deps assets migrate demo lint messages bench load check-deploy clean

deps:
	@command -v $(UV) >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

src/gongzhi/static/vendor/.stamp: node_modules/.package-lock.json scripts/vendor_assets.sh
	scripts/vendor_assets.sh
	touch $@

assets: src/gongzhi/static/vendor/.stamp

messages: deps
	$(PY) python scripts/messages.py compile

migrate: deps
	$(PY) gongzhi migrate --noinput

run: deps assets messages migrate
	$(PY) gongzhi demo --if-empty
	DEBUG=$${DEBUG:-true} $(PY) gongzhi serve $(HOST):$(PORT)

lint: deps
	$(PY) ruff check src tests scripts $(wildcard bench) $(wildcard load)
	$(PY) lint-imports --no-cache

# The suite runs on SQLite and on PostgreSQL at once (scripts/test_both.py), each with this many
# pytest-xdist workers; each worker copies its run's migrated template database (tests/template_db.py)
# and takes whole test modules, longest first (tests/ordering.py).
TEST_WORKERS ?= auto
TEST_DIST := --dist loadfile --no-loadscope-reorder

# The deploy, migrations and translations checks run on the core the first finished run leaves idle
# (a literal `make`: a recipe line naming the MAKE variable would run even under `make -n`).
test: deps assets messages lint
	@start=$$(date +%s); status=0; \
	$(PY) python scripts/test_both.py --check "make -s check-deploy" \
	  --check "$(PY) gongzhi makemigrations --check --dry-run" --check "$(PY) python scripts/messages.py check" \
	  -n $(TEST_WORKERS) $(TEST_DIST) || status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s for the checks and both databases (exit $$status)"; \
	exit $$status

# Re-measure how long each test module takes (tests/durations.json orders the modules, longest first).
test-durations: deps assets messages
	GONGZHI_RECORD_DURATIONS=1 $(PY) pytest -p no:cacheprovider -q -n $(TEST_WORKERS) $(TEST_DIST)

bench: deps
	$(PY) python -m bench

# A street-wide event under load (Locust, headless, 127.0.0.1 only): SQLite, then PostgreSQL if reachable.
load: deps assets messages
	$(PY) python -m load

# The production settings of README's "Running in production", static files collected into a
# scratch directory (the manifest is checked; the collected tree, compressed once for the same sources,
# is kept under var/cache/ for the production tests: scripts/collected_static.py).
check-deploy: deps assets
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	export DEBUG=false SECRET_KEY=check-deploy-$$(date +%s%N)-not-a-real-secret-key-for-production-use \
	  ALLOWED_HOSTS=example.org GONGZHI_VAR_DIR="$$scratch" GONGZHI_REDIS_URL=redis://127.0.0.1:6379/0 \
	  GONGZHI_TRUSTED_PROXIES=127.0.0.1 GONGZHI_DATA_KEYS="$$scratch/data-keys.json" && \
	$(PY) gongzhi keys generate --file "$$scratch/data-keys.json" >/dev/null && \
	$(PY) python scripts/collected_static.py "$$scratch/static" && \
	$(PY) gongzhi check --deploy --fail-level WARNING

clean:
	rm -rf .venv node_modules src/gongzhi/static/vendor var/static var/pycache
