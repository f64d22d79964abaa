# The README's commands. Every target sets up .venv first, so a fresh clone needs nothing else.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
AUDIT_STAMP := audit/node_modules/.installed-stamp
# Material prints a banner about its successor on every build; the README covers that plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site site-external lint test test-fast serve serve-full bench bench-quick audit screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The page checkers the tests run: axe-core in Chromium and the Nu Html Checker on Java.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# The public employer-branding site: external records only, at its own address.
site-external: $(STAMP)
	PLAYBOOK_AUDIENCE=external PLAYBOOK_SITE_URL=$${PLAYBOOK_EXTERNAL_URL:-https://careers.example.com/mentoring/} \
		$(BIN)/mkdocs build --strict --site-dir site-external

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Lint first, then every tier, on one pytest-xdist worker per core. Workers steal queued tests
# from each other, so the long browser tests cannot pile up on one worker while the other idles
# at the end. A module's own site fixture may then be built on both workers: a few seconds,
# less than serializing the module.
test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/python -m pytest -n auto --dist worksteal

# The unit tier: every stage called directly, no site build, no browser, no npm; under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not site and not browser and not npm" --hypothesis-profile=fast

# Incremental: a save rebuilds only the pages it changed (generator/preview.py), and the result
# is what a clean build makes. `serve-full` rebuilds every page on every save instead.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

serve-full: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Our build and edit loop against plain MkDocs on the same pages; writes bench/results.md in under
# half an hour. Never part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/run.py

# 100 and 1,000 stories only, fewer rounds and edits: a check that the bench runs, in a few minutes.
bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

# Lighthouse on every page kind, desktop and mobile; writes audit/results.md. A report, never a test.
$(AUDIT_STAMP): audit/package.json audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund --loglevel=error
	touch $(AUDIT_STAMP)

audit: site $(AUDIT_STAMP)
	$(BIN)/python audit/run.py site

# A picture of every page kind, desktop and phone, into docs/screenshots/ for the README. Needs Chromium.
screenshots: site site-external
	$(BIN)/python audit/screenshots.py site site-external

clean:
	rm -rf site site-external .site.building-* .site.replaced-* .site-external.building-* .site-external.replaced-*
