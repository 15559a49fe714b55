# Every target sets itself up on a fresh machine: venv, Python packages, system packages.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := var/.system-packages

TRANSLATIONS := graph_service/i18n/translations
PO := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

.PHONY: serve test lint load venv system clean catalogues messages

$(STAMP): pyproject.toml
	@echo "make: setting up $(VENV) (Python packages; about a minute on a fresh machine)"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[test]'
	touch $(STAMP)

venv: $(STAMP) catalogues

# Compiled gettext catalogues (.mo) are build products, not in git: each is made from its .po
# before anything that shows pages (venv, test, serve), and again when the .po changes.
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

catalogues: $(MO)

# After changing the page chrome in templates or code: extract the English msgids into
# messages.pot and merge them into each language's messages.po (then translate what is new).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --add-location=file -c TRANSLATORS: \
		--project="UNTOC Knowledge Graph" \
		--copyright-holder="UNTOC Knowledge Graph project" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -D messages -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

# Debian packages the tests use as real peers: Chromium (pages), Virtuoso (federation), Jena
# with a Java runtime (strict client).
$(SYSSTAMP):
	mkdir -p var
	bash scripts/install-system-packages.sh
	touch $(SYSSTAMP)

system: $(SYSSTAMP)

load: $(STAMP)
	$(BIN)/kg load

serve: $(STAMP) catalogues load
	$(BIN)/kg serve

test: $(STAMP) catalogues $(SYSSTAMP) lint
	$(BIN)/pytest -q -n auto --maxprocesses 4 --dist loadfile

# Style, formatting, the layers of graph_service (pyproject.toml [tool.importlinter]), types.
lint: $(STAMP)
	$(BIN)/ruff check graph_service tests bench
	$(BIN)/ruff format --check graph_service tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var
