# `make demo` and `make test` do everything from a fresh clone: virtualenv, install, browser.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup bytecode browser ocr-model test-services clean

demo: setup
	@# exit status 1 is the demo working: its deliberate slips are new error findings
	$(BIN)/onevoice demo --report reports/demo || [ $$? -eq 1 ]

test: setup test-services
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

setup: $(VENV)/.installed bytecode browser ocr-model

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The editable install leaves the sources uncompiled (pip compiles an installed package's), and
# with PYTHONDONTWRITEBYTECODE set every run compiled them again: 0.2 s of CPU per command.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q onevoice checks

browser: $(VENV)/.installed
	$(BIN)/python -m onevoice.browser --ensure

ocr-model: $(VENV)/.installed
	$(BIN)/python -c 'import sys; from onevoice.capture.ocr import main; sys.exit(main(["--ensure"]))'

test-services: $(VENV)/.installed
	bash tools/test-services.sh

clean:
	rm -rf $(VENV) reports/*/ *.egg-info
