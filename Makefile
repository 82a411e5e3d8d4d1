.PHONY: install run test test-llm lint bench soak clean
HOST ?= 127.0.0.1
PORT ?= 8000
PY := .venv/bin/python

install:
	bash scripts/bootstrap.sh test

run:
	bash scripts/bootstrap.sh run
	.venv/bin/spin-practice serve --host $(HOST) --port $(PORT)

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/lint-imports

# Every test, the real-model ones included (scripts/llm_env.sh builds the local model once).
test: install lint
	bash scripts/llm_env.sh
	$(PY) -m pytest -q

# Only the real-model tests: llama.cpp's server with SmolLM2-135M.
test-llm: install
	bash scripts/llm_env.sh
	$(PY) -m pytest -q -o addopts="-ra --strict-markers --strict-config -p no:cacheprovider" \
		--basetemp=.pytest-llm tests/llm  # its own temp dir: other runs prune the shared one

bench: install
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

soak: install
	$(PY) tests/bench/soak_crash.py

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache
