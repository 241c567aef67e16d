# The two commands: `make run` plays in the terminal, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench lock mutate clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Creating $(VENV) failed: install python3-venv."; exit 1; }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/quizbot play

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy bot tests

mutate: $(STAMP)
	$(BIN)/mutmut run --max-children 2; $(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results --all true | $(BIN)/python -m tests.mutation_score

bench: $(STAMP)
	$(BIN)/python -m bench

# The image installs exactly these versions, checked by hash. Run after changing dependencies.
lock: $(STAMP)
	printf 'setuptools>=68\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		-o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
