# Two commands from a fresh clone: `make serve` (build and serve) and `make test`.
# The first run creates .venv and installs the pinned requirements into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := es fr
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: build serve check test test-fast clean extract update compile

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/python build.py build

serve: $(STAMP)
	$(BIN)/python build.py serve --host $(HOST) --port $(PORT)

check: $(STAMP)
	$(BIN)/python build.py check

test: $(STAMP)
	$(BIN)/python -m pytest

# Everything but the browser and HTML-checker tests: under a minute, for while you work.
test-fast: $(STAMP)
	$(BIN)/python -m pytest --ignore=tests/test_browser.py --ignore=tests/test_html_valid.py

clean:
	rm -rf dist .dist.* .pytest_cache
	find . -name __pycache__ -prune -not -path './$(VENV)/*' -exec rm -rf {} +

# Catalog workflow: extract UI strings from the templates, merge them into each
# language's .po file, and check that every catalog compiles (the build compiles
# them in memory, so no .mo file is ever committed or stale).
extract: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --output-file locales/messages.pot \
		--no-location --sort-output --omit-header --project "eventsite" .

update: extract
	for locale in $(LOCALES); do \
		if [ -f locales/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --input-file locales/messages.pot --output-dir locales \
				--locale $$locale --no-fuzzy-matching; \
		else \
			$(BIN)/pybabel init --input-file locales/messages.pot --output-dir locales --locale $$locale; \
		fi; \
	done

compile: $(STAMP)
	for locale in $(LOCALES); do \
		$(BIN)/pybabel compile --input-file locales/$$locale/LC_MESSAGES/messages.po \
			--output-file /dev/null --locale $$locale --statistics || exit 1; \
	done
