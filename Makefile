# Bootstrap only: create the virtual environment, then hand over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests run, as command=package: deploy with rsync, serve with nginx, run
# Pagefind's JavaScript with Node.js, install the workflow validator with npm. Each is installed only
# when its command is missing.
SYSTEM_TOOLS := nginx=nginx rsync=rsync node=nodejs npm=npm
CHROMIUM := /usr/bin/chromium
# apt-get that waits (up to APT_LOCK_WAIT seconds, default 300) while another apt-get holds its locks.
APT_GET := .ci/apt-get
# The Node tools the tests use (package.json "dependencies": the workflow validator); Lighthouse, a
# dev dependency for maintainers, is left out. npm writes this file at each install.
NODE_TOOLS := node_modules/.package-lock.json

.PHONY: build test check publish serve livereload clean system-tools

# The first thing an editor sees, before Python's packages (and the message catalogs' reader) are
# there: in the language the environment names, as plugins/l10n/messages.py reads it (first of
# LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
EDITOR_LOCALE := $(firstword $(subst :, ,$(LANGUAGE)) $(LC_ALL) $(LC_MESSAGES) $(LANG))
EDITOR_LANG := $(if $(filter ru%,$(EDITOR_LOCALE)),ru,$(if $(filter kk%,$(EDITOR_LOCALE)),kk,en))
INSTALLING_en := Installing the Python packages into $(VENV) (first run or new requirements.txt: about 30 s)...
INSTALLING_ru := Устанавливаются пакеты Python в $(VENV) (первый запуск или новый requirements.txt: около 30 с)…
INSTALLING_kk := Python пакеттері $(VENV) ішіне орнатылып жатыр (алғашқы іске қосу не жаңа requirements.txt: шамамен 30 с)…

# Reinstall only when the pinned requirements change; otherwise a no-op.
# Playwright's wheel brings its driver; it must never fetch a browser of its own.
$(STAMP): requirements.txt
	@echo "$(INSTALLING_$(EDITOR_LANG))"
	$(PYTHON) -m venv $(VENV)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

system-tools:
	@missing=""; \
	for pair in $(SYSTEM_TOOLS); do \
	  tool=$${pair%%=*}; \
	  command -v $$tool >/dev/null 2>&1 || [ -x /usr/sbin/$$tool ] || missing="$$missing $${pair#*=}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=no; fi; \
	  if [ "$$sudo" != no ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing (Debian packages the tests use)"; \
	    $$sudo $(APT_GET) update -qq && $$sudo $(APT_GET) install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Not installed:$$missing; the tests that need them will be skipped (apt-get install$$missing)"; \
	  fi; \
	fi

# The browser tests drive Debian's Chromium; install it (with fonts for Kazakh letters) only when missing.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=no; fi; \
	if [ "$$sudo" != no ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium (the browser tests drive it)"; \
		$$sudo $(APT_GET) update -qq && $$sudo $(APT_GET) install -y -qq \
			chromium chromium-driver fonts-noto-core >/dev/null; \
	else \
		echo "make test needs Debian's Chromium at $(CHROMIUM); as root run:" >&2; \
		echo "  apt-get update && apt-get install -y chromium chromium-driver fonts-noto-core" >&2; \
		exit 1; \
	fi

# Only when npm is there (system-tools installs it where it may); the workflow test is skipped otherwise.
$(NODE_TOOLS): package-lock.json | system-tools
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing the Node tools the tests use (the workflow validator, npm ci)"; \
		npm ci --omit=dev --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm is not installed: the workflow validator is not, and its test will be skipped (apt-get install npm)"; \
	fi

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP) system-tools $(CHROMIUM) $(NODE_TOOLS)
	$(BIN)/invoke test

check: $(STAMP)
	$(BIN)/invoke check

# SITEURL (the public address) and PUBLISH_TARGET (git:…#branch or rsync:…) come from the environment.
publish: $(STAMP)
	$(BIN)/invoke publish

serve: $(STAMP)
	$(BIN)/invoke serve

livereload: $(STAMP)
	$(BIN)/invoke livereload

clean:
	rm -rf output output.spare output.partial-* output.old-*
