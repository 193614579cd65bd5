# Two commands set everything up on a fresh machine with Python 3.11 and pip:
#   make demo   creates .venv, installs reportgen, renders every example into out/
#   make test   runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FORMATS ?= md,html,pdf,json

.PHONY: demo test install golden bench clean check-mermaid

$(BIN)/reportgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/reportgen

demo: install
	$(BIN)/reportgen batch examples/teams -o out --format $(FORMATS) --brand examples/brand/brand.yaml
	@echo "Reports are in out/: one per example team, and the portfolio across them."

test: install
	$(BIN)/python -m pytest

# Re-render the golden files in tests/golden/ after an intended change, then review the diff.
golden: install
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

# Parse the Mermaid blocks of every example's Markdown with Mermaid's own parser (needs node and npm).
check-mermaid: install
	cd tools/mermaid-check && npm install --silent --no-audit --no-fund
	rm -rf out/mermaid && $(BIN)/reportgen batch examples/teams -o out/mermaid --format md
	node tools/mermaid-check/check.mjs out/mermaid/*.md

bench: install
	$(BIN)/python benchmarks/bench_pdf.py

clean:
	rm -rf $(VENV) out build *.egg-info
