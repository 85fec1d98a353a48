# Two commands from a fresh clone: `make serve` (build and serve) and `make test`.
# The first run creates .venv and installs the pinned requirements into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The site the catalog targets work on: this repository, or `make update SITE=path/to/site`.
SITE ?= .
# Its languages with a catalog: every locale of site.locales but the first (the templates').
LOCALES = $(shell $(BIN)/python -c 'import sys, yaml; print(" ".join(code.replace("-", "_") for code in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["site"]["locales"][1:]))' $(SITE)/agenda.yaml)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: build serve check publish translations test test-fast clean extract update compile

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

# Record the schedule as published (published/versions.json): make publish NOTE="Session 3 moved."
publish: $(STAMP)
	$(BIN)/python build.py publish $(if $(NOTE),--note "$(NOTE)")

# Translators' files for every language but the first: XLIFF 1.2, a TMX and the glossary, in
# translations/ (docs/translations.md). `make translations FORMAT=po ONLY=stale` for others.
translations: $(STAMP)
	$(BIN)/python build.py translate export --site $(SITE) --format $(or $(FORMAT),xliff) \
		--only $(or $(ONLY),all) --out $(SITE)/translations $(foreach locale,$(LOCALES),--lang $(subst _,-,$(locale)))

test: $(STAMP)
	$(BIN)/python -m pytest

# Everything but the browser and HTML-checker tests: under a minute, for while you work.
test-fast: $(STAMP)
	$(BIN)/python -m pytest --ignore=tests/test_browser.py --ignore=tests/test_html_valid.py

clean:
	rm -rf dist .dist.* .pytest_cache
	find . -name __pycache__ -prune -not -path './$(VENV)/*' -exec rm -rf {} +

# Catalog workflow: extract UI strings from the templates (the site's own too), merge them
# into each language's .po file, and check that every catalog compiles (the build compiles
# them in memory, so no .mo file is ever committed or stale). A site of its own gets catalogs
# for the languages this repository has none for; it may add entries to the others by hand.
extract: $(STAMP)
	mkdir -p $(SITE)/locales
	$(BIN)/pybabel extract --mapping-file babel.cfg --output-file $(SITE)/locales/messages.pot \
		--no-location --sort-output --omit-header --project "eventsite" \
		$(sort $(abspath .) $(abspath $(SITE)))

update: extract
	for locale in $(LOCALES); do \
		if [ -f $(SITE)/locales/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --input-file $(SITE)/locales/messages.pot \
				--output-dir $(SITE)/locales --locale $$locale --no-fuzzy-matching \
				--ignore-pot-creation-date; \
		elif [ ! -f locales/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel init --input-file $(SITE)/locales/messages.pot \
				--output-dir $(SITE)/locales --locale $$locale; \
		fi; \
	done

compile: $(STAMP)
	for locale in $(LOCALES); do \
		for folder in $(sort $(abspath $(SITE)/locales) $(abspath locales)); do \
			[ ! -f $$folder/$$locale/LC_MESSAGES/messages.po ] || \
			$(BIN)/pybabel compile --input-file $$folder/$$locale/LC_MESSAGES/messages.po \
				--output-file /dev/null --locale $$locale --statistics || exit 1; \
		done; \
	done
