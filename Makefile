# Every target sets itself up on a fresh machine: venv, Python packages, system packages.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := var/.system-packages

.PHONY: serve test lint load venv system clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests use as real peers: Chromium (pages), Virtuoso (federation), Jena (strict client).
$(SYSSTAMP):
	mkdir -p var
	bash scripts/install-system-packages.sh
	touch $(SYSSTAMP)

system: $(SYSSTAMP)

load: $(STAMP)
	$(BIN)/kg load

serve: $(STAMP) load
	$(BIN)/kg serve

test: $(STAMP) $(SYSSTAMP)
	$(BIN)/ruff check graph_service tests bench
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check graph_service tests bench
	$(BIN)/ruff format --check graph_service tests bench

clean:
	rm -rf $(VENV) var
