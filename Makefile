# Every target sets itself up on a fresh machine: venv, Python packages, system packages.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := var/.system-packages

.PHONY: serve test lint load venv system clean

$(STAMP): pyproject.toml
	@echo "make: setting up $(VENV) (Python packages; about a minute on a fresh machine)"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests use as real peers: Chromium (pages), Virtuoso (federation), Jena
# with a Java runtime (strict client).
$(SYSSTAMP):
	mkdir -p var
	bash scripts/install-system-packages.sh
	touch $(SYSSTAMP)

system: $(SYSSTAMP)

load: $(STAMP)
	$(BIN)/kg load

serve: $(STAMP) load
	$(BIN)/kg serve

test: $(STAMP) $(SYSSTAMP) lint
	$(BIN)/pytest -q

# Style, formatting, the layers of graph_service (pyproject.toml [tool.importlinter]), types.
lint: $(STAMP)
	$(BIN)/ruff check graph_service tests bench
	$(BIN)/ruff format --check graph_service tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var
