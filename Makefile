# The README's commands. Every target sets up .venv first, so a fresh clone needs nothing else.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
AUDIT_STAMP := audit/node_modules/.installed-stamp
# Material prints a banner about its successor on every build; the README covers that plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site site-external editor edit lint test test-fast serve serve-full bench bench-quick audit screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The page checkers the tests run: axe-core in Chromium and the Nu Html Checker on Java.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The web editor at /admin/ is Decap CMS's browser bundle, served from the site itself, with the
# YAML library our file format for it reads and writes with (generator/admin/). Only the bundles
# are fetched (6 MB), never the CMS's whole npm install (390 MB), and only these exact tarballs
# are accepted.
DECAP_VERSION := 3.16.3
DECAP_SHA512 := 85ff9d3e50a1ed32665a5f3ee954731d839686b8b9c605249eb65b0dec1a59ee2cf41ef127c3d0ba0a7640779295d3142b36afebecf4a08a7051885424362d63
YAML_VERSION := 2.9.1
YAML_SHA512 := dcdc4df3eefc39dcdb4fb0bf5a31acc9f3c0b4968ddc5343b16c6fed8ee6703b13fe83a6816f01a72410145067bd91378fd63649dcf550b14b7b32fb11bdb217
EDITOR := editor/cms
EDITOR_STAMP := $(EDITOR)/.installed-$(DECAP_VERSION)-$(YAML_VERSION)
PACK := editor/.pack

$(EDITOR_STAMP):
	rm -rf $(PACK) $(EDITOR) && mkdir -p $(PACK)/decap $(PACK)/yaml $(EDITOR)
	cd $(PACK) && npm pack --silent decap-cms@$(DECAP_VERSION) yaml@$(YAML_VERSION) >/dev/null
	printf '%s  %s\n' $(DECAP_SHA512) $(PACK)/decap-cms-$(DECAP_VERSION).tgz \
		$(YAML_SHA512) $(PACK)/yaml-$(YAML_VERSION).tgz | sha512sum --check --quiet
	tar -xzf $(PACK)/decap-cms-$(DECAP_VERSION).tgz -C $(PACK)/decap
	tar -xzf $(PACK)/yaml-$(YAML_VERSION).tgz -C $(PACK)/yaml
	cp $(PACK)/decap/package/dist/*decap-cms.js $(EDITOR)/
	cp -r $(PACK)/yaml/package/browser/dist $(EDITOR)/yaml
	echo '{"type": "module"}' > $(EDITOR)/yaml/package.json  # so that Node reads it as the browser does
	rm -rf $(PACK)
	touch $(EDITOR_STAMP)

editor: $(EDITOR_STAMP)

site: $(STAMP) $(EDITOR_STAMP)
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
test: $(STAMP) $(NODE_STAMP) $(EDITOR_STAMP) lint
	$(BIN)/python -m pytest -n auto --dist worksteal

# The unit tier: every stage called directly, no site build, no browser, no npm; under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not site and not browser and not npm" --hypothesis-profile=fast

# Incremental: a save rebuilds only the pages it changed (generator/preview.py), and the result
# is what a clean build makes. `serve-full` rebuilds every page on every save instead.
serve: $(STAMP) $(EDITOR_STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# The web editor against this checkout: the live preview, and Decap's local proxy on port 8081,
# which writes the files a save changes straight into playbook/. Open http://127.0.0.1:8000/admin/.
edit: $(STAMP) $(NODE_STAMP) $(EDITOR_STAMP)
	GIT_REPO_DIRECTORY=$(CURDIR) PORT=8081 BIND_HOST=127.0.0.1 node node_modules/decap-server/dist/index.js & \
		proxy=$$!; trap 'kill $$proxy 2>/dev/null' EXIT INT TERM; \
		$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

serve-full: $(STAMP) $(EDITOR_STAMP)
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

# A picture of every page kind, desktop and phone, and of the web editor, into docs/screenshots/ for
# the README. Needs Chromium and npm.
screenshots: site site-external $(NODE_STAMP)
	$(BIN)/python audit/screenshots.py site site-external

clean:
	rm -rf site site-external .site.building-* .site.replaced-* .site-external.building-* .site-external.replaced-*
