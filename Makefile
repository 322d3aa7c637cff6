# Bootstrap only: create the virtual environment, then hand over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests run, as command=package: deploy with rsync, serve with nginx, run
# Pagefind's JavaScript with Node.js. Each is installed only when its command is missing.
SYSTEM_TOOLS := nginx=nginx rsync=rsync node=nodejs
CHROMIUM := /usr/bin/chromium

.PHONY: build test check publish serve livereload clean system-tools

# Reinstall only when the pinned requirements change; otherwise a no-op.
# Playwright's wheel brings its driver; it must never fetch a browser of its own.
$(STAMP): requirements.txt
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
	    $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Not installed:$$missing; the tests that need them will be skipped (apt-get install$$missing)"; \
	  fi; \
	fi

# The browser tests drive Debian's Chromium; install it (with fonts for Kazakh letters) only when missing.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=no; fi; \
	if [ "$$sudo" != no ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium (the browser tests drive it)"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			chromium chromium-driver fonts-noto-core >/dev/null; \
	else \
		echo "make test needs Debian's Chromium at $(CHROMIUM); as root run:" >&2; \
		echo "  apt-get update && apt-get install -y chromium chromium-driver fonts-noto-core" >&2; \
		exit 1; \
	fi

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP) system-tools $(CHROMIUM)
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
	rm -rf output output.partial-* output.old-*
