# `make demo` and `make test` do everything from a fresh clone: virtualenv, install, browser.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup browser ocr-model test-services clean

demo: setup
	@# exit status 1 is the demo working: its deliberate slips are new error findings
	$(BIN)/onevoice demo --report reports/demo || [ $$? -eq 1 ]

test: setup test-services
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

setup: $(VENV)/.installed browser ocr-model

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

browser: $(VENV)/.installed
	$(BIN)/python -m onevoice.browser --ensure

ocr-model: $(VENV)/.installed
	$(BIN)/python -c 'import sys; from onevoice.capture.ocr import main; sys.exit(main(["--ensure"]))'

test-services: $(VENV)/.installed
	bash tools/test-services.sh

clean:
	rm -rf $(VENV) reports/*/ *.egg-info
