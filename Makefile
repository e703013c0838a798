# Two commands do everything on a fresh clone: `make generate` and `make test`.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

$(STAMP): requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e generated
	touch $(STAMP)

# Prism (the contract tests' mock server), pinned by package-lock.json.
NPM ?= npm
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "make: '$(NPM)' not found: install Node.js >= 20 with npm (Prism for tests/contract/)" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund
	touch $(NODE_STAMP)

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) requirements/bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/dev.txt -r requirements/bench.txt
	touch $(BENCH_STAMP)

.PHONY: help install generate check check-generated lint typecheck test test-full test-realworld test-properties format clean bench

REALWORLD ?= ../shared/realworld

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv with the pinned tools and the SDK (editable)

generate: $(STAMP) ## regenerate generated/ from openapi/ (no-op when up to date)
	$(PY) -m compileall -q codegen
	$(PY) -m codegen generate

check-generated: $(STAMP) ## fail with a diff when generated/ is stale
	$(PY) -m codegen check

lint: $(STAMP) ## ruff on codegen/, tests/ and generated/
	$(PY) -m ruff check codegen tests bench generated
	$(PY) -m ruff format --check codegen tests bench

typecheck: $(STAMP) ## mypy --strict on codegen/ and generated/
	$(PY) -m mypy

check: check-generated lint typecheck ## golden + lint + types

test: $(STAMP) $(NODE_STAMP) ## every check and test (what CI runs)
	$(MAKE) --no-print-directory check
	$(PY) -m pytest -q

bench: $(BENCH_STAMP) ## benchmarks (not part of test): per-call overhead, large responses, import, cold mypy, generation, diff
	cd bench && ../$(PY) run_all.py

test-full: $(STAMP) ## the whole upstream API as it is (no fixes overlay): generate, import, mypy --strict (slow)
	$(PY) -m pytest -q -m full tests/full

test-realworld: $(STAMP) ## every spec in REALWORLD=../shared/realworld: generate, import, mypy --strict; one table (slow)
	$(PY) tests/realworld/run.py --dir $(REALWORLD)

test-properties: $(STAMP) ## property checks of the models on the whole upstream API and ../shared/realworld/ (slow)
	$(PY) -m pytest -q -s -m full tests/properties

format: $(STAMP) ## format the hand-written code
	$(PY) -m ruff format codegen tests
	$(PY) -m ruff check --fix codegen tests

clean: ## remove the venvs and caches (the generation cache too)
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis .codegen-cache bench/.venv-opc

# Operation ids come from [tool.codegen] operations in pyproject.toml, as `--operation ID` flags.
OPERATION_FLAGS = $(PY) -c 'import tomllib; print(" ".join("--operation " + o for o in tomllib.load(open("pyproject.toml", "rb"))["tool"]["codegen"]["operations"]))'

.PHONY: update-spec
update-spec: $(STAMP) ## re-prune openapi/openapi.yaml from SPEC=upstream.yaml, write the review (PR comment) into openapi/CHANGES.md, regenerate, test
	@test -n "$(SPEC)" || { echo "make update-spec: say which upstream spec, e.g. make update-spec SPEC=../shared/specs/openai-2026-08-21-f85dbe2.yaml" >&2; exit 2; }
	@test -f "$(SPEC)" || { echo "make update-spec: $(SPEC) does not exist" >&2; exit 2; }
	@old=$$(mktemp "$${TMPDIR:-/tmp}/openapi-before.XXXXXX") && trap 'rm -f "$$old" "$$old.md"' EXIT && \
	cp openapi/openapi.yaml "$$old" && \
	flags=$$($(OPERATION_FLAGS)) && \
	$(PY) -m codegen prune "$(SPEC)" $$flags --out openapi/openapi.yaml && \
	ignore=$$(if test -f openapi/diff-ignore.yaml; then echo "--ignore openapi/diff-ignore.yaml"; fi) && \
	{ $(PY) -m codegen diff "$$old" openapi/openapi.yaml --overlay openapi/overlay.yaml $$ignore --format markdown > "$$old.md"; \
	  status=$$?; cat "$$old.md"; \
	  if [ $$status -gt 1 ]; then cp "$$old" openapi/openapi.yaml; echo "make update-spec: diff failed; openapi/openapi.yaml restored" >&2; exit $$status; fi; } && \
	{ test -f openapi/CHANGES.md || printf '# Upstream spec updates\n\nWritten by `make update-spec`, newest last.\n' > openapi/CHANGES.md; } && \
	printf '\n## %s\n\n' "$$(basename "$(SPEC)")" >> openapi/CHANGES.md && cat "$$old.md" >> openapi/CHANGES.md
	$(PY) -m codegen generate
	$(MAKE) --no-print-directory test
