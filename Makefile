# Bootstrap only: create the virtual environment, then hand over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check serve clean

# Reinstall only when the pinned requirements change; otherwise a no-op.
$(STAMP): requirements.txt
	@# The search tests run Pagefind's JavaScript in Node.js; install it only when missing (Debian).
	@command -v node >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP)
	$(BIN)/invoke test

serve: $(STAMP)
	$(BIN)/invoke serve

clean:
	rm -rf output
