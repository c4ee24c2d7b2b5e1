# Everything goes through a local .venv so a fresh machine needs only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/demo

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.installed $@

# The bundled samples, then the bot: on Telegram when a token is set, else in this terminal.
demo: $(VENV)/.installed
	$(BIN)/newsbot ingest --data $(DATA) samples/
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/newsbot run --data $(DATA); \
	else $(BIN)/newsbot chat --data $(DATA); fi

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/ingest.py --articles 10000
	$(BIN)/python bench/bot_latency.py --articles 10000

clean:
	rm -rf $(VENV) data/demo
