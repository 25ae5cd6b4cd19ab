# KTXH — the two commands a new clone needs are `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PORT ?= 8000

.PHONY: run test uv sync proto proto-check lint-imports run-distributed bench bench-reporting clean help web web-api web-api-check

help:
	@echo "make run              start the all-in-one system on http://127.0.0.1:$(PORT) (demo province)"
	@echo "make test             install what the tests need and run them all"
	@echo "make run-distributed  PostgreSQL + Kafka protocol + S3 + OIDC provider, one process per service"
	@echo "make proto            regenerate libs/ktxh-contracts from proto/"
	@echo "make web              build the web UI (gateway/web) when its sources changed"
	@echo "make web-api          regenerate the UI's API types from the gateway's OpenAPI"
	@echo "make bench            run the benchmarks under bench/"
	@echo "make bench-reporting  reporting at the issue's scale (ARGS=\"--units 60 ...\" for less)"

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet uv

sync: uv
	$(UV) sync --all-packages --frozen

run: sync web
	KTXH_GATEWAY_PORT=$(PORT) $(UV) run ktxh-allinone

test:
	bash scripts/test.sh

proto: sync
	$(UV) run python scripts/proto.py

web: sync
	$(UV) run python scripts/web.py build

web-api: sync
	$(UV) run python scripts/web.py api

web-api-check:
	$(UV) run python scripts/web.py api --check

proto-check:
	$(UV) run python scripts/proto.py --check

lint-imports:
	$(UV) run lint-imports
	$(UV) run python scripts/check_import_cycles.py

run-distributed: sync web
	$(UV) run python infra/local/distributed.py

bench: sync
	$(UV) run python bench/run.py

bench-reporting: sync
	$(UV) run python bench/reporting.py $(ARGS)

clean:
	rm -rf .data .local
