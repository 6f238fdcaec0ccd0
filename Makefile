# The two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export OMP_THREAD_LIMIT := 1
export PYTHONDONTWRITEBYTECODE := 1

# Debian packages: Tesseract for OCR; handwriting fonts so the corpus regenerates byte for byte;
# poppler for PDF rasterising in tests; Chromium for the browser tests.
RUN_DEBS := tesseract-ocr tesseract-ocr-eng
TEST_DEBS := $(RUN_DEBS) fonts-dkg-handwriting fonts-breip fonts-bwht fonts-dejavu-core \
             fonts-liberation poppler-utils chromium

.PHONY: run test lint typecheck system-deps-run system-deps-test corpus golden bench compile clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The engine's hot modules (engine/native.py: CDSi and the CalWORKs chart) compiled with mypyc:
# about three times the records per second. Rebuilt when an engine source changes; if it cannot
# be built the engine runs as pure Python with the same answers, and says so.
NATIVE := build/native/manifest.json
$(NATIVE): $(VENV)/.installed $(wildcard engine/*.py engine/cdsi/*.py engine/calworks/*.py)
	@mkdir -p build
	@$(BIN)/python -m engine.build_native > build/native.log 2>&1 \
	  && tail -1 build/native.log || { tail -3 build/native.log; true; }

compile: $(NATIVE)

# Installs only what is missing; needs root for apt-get, and says so otherwise.
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root or: sudo apt-get install$$missing)"; fi; \
	fi
endef

system-deps-run:
	$(call install_debs,$(RUN_DEBS))

system-deps-test:
	$(call install_debs,$(TEST_DEBS))

run: system-deps-run $(VENV)/.installed $(NATIVE)
	$(BIN)/python -m intake.run_demo

lint: $(VENV)/.installed
	$(BIN)/ruff check engine extract intake review_ui fixtures tests bench
	$(BIN)/mypy --strict engine

test: system-deps-test $(VENV)/.installed $(NATIVE) lint
	$(BIN)/python -m pytest

# The committed synthetic corpus (fixtures/README.md); same seed, same bytes.
corpus: $(VENV)/.installed
	rm -rf fixtures/corpus
	$(BIN)/python -m fixtures.generate --seed 2026 --count 160 --out fixtures/corpus

# Golden files: extraction JSON of a dozen corpus documents, CalWORKs verdicts, case timelines.
golden: system-deps-test $(VENV)/.installed
	$(BIN)/python -m tests.extract.regenerate_golden
	$(BIN)/python -m tests.calworks.regenerate_golden
	$(BIN)/python -m tests.case.regenerate_golden

bench: $(VENV)/.installed $(NATIVE)
	$(BIN)/python -m bench.engine_throughput

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache test-output
