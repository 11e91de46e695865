# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed lint format typecheck pytest browser screenshots clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/uprtc db upgrade

seed: migrate
	$(BIN)/uprtc seed --demo

run: seed
	$(BIN)/uprtc serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install-dev
	$(BIN)/mypy

# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download is not used): install it once if it is missing.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The Arabic and Chinese pages, charts and PDF need fonts for those scripts (Debian's Noto).
FONTS_NEEDED = /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
DEB_PACKAGES = $(if $(wildcard $(CHROMIUM)),,chromium) \
	$(if $(wildcard $(word 1,$(FONTS_NEEDED))),,fonts-noto-core) \
	$(if $(wildcard $(word 2,$(FONTS_NEEDED))),,fonts-noto-cjk)

browser:
	@if [ -n "$(strip $(DEB_PACKAGES))" ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(strip $(DEB_PACKAGES)) \
			|| { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(strip $(DEB_PACKAGES)); }; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM) (set CHROMIUM=/path/to/chromium) and the packages: $(strip $(DEB_PACKAGES))"; exit 1; \
		fi; \
	fi

# Every test, on both cores (pytest-xdist), with the 20 slowest listed: watch them.
pytest: install-dev browser
	UPRTC_CHROMIUM=$(CHROMIUM) $(BIN)/pytest --numprocesses auto --dist worksteal --durations=20

test: lint typecheck pytest

# Re-take the README's screenshots (docs/screenshots/) with the browser journey test.
screenshots: install-dev browser
	UPRTC_CHROMIUM=$(CHROMIUM) UPRTC_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q \
		tests/app/web/e2e -k "sqlite and (staff_journey or (consent and not no-consent) or arabic_and_chinese)"

# After changing interface strings in app/web, email strings in app/notifications, or the strings of
# match reasons (app/matches), the report (app/reports) or the command line (app/cli): re-extract them and merge them into the catalogues,
# then translate the new entries in app/web/locales/*/LC_MESSAGES/messages.po (read at run time;
# there is no compile step). tests/app/web/test_i18n.py fails while any string is untranslated.
messages: install
	$(BIN)/pybabel extract -F app/web/babel.cfg -k N_ --no-location --sort-output \
		--project "UPR technical cooperation repository" --copyright-holder "the uprtc developers" \
		-o app/web/locales/messages.pot app/web app/notifications app/matches app/reports app/cli
	$(BIN)/pybabel update -i app/web/locales/messages.pot -d app/web/locales \
		--width 100 --ignore-obsolete

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
