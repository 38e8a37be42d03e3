# The two commands a user needs: `make train` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# A relative data folder is relative to this folder: hand every command the absolute path.
ifdef TF1_MNIST_DATA_DIR
export TF1_MNIST_DATA_DIR := $(abspath $(TF1_MNIST_DATA_DIR))
endif

.PHONY: train compare test lint figures tensorboard clean

# LESSON=name picks another lesson of the course (python -m tf1_mnist lessons lists them).
train: $(INSTALLED)
	@$(BIN)/python -m tf1_mnist train $(if $(LESSON),--lesson $(LESSON)) $(ARGS)

# The latest run's log (or LOG=path, - for stdin) against the tutorial's published output.
compare: $(INSTALLED)
	@$(BIN)/python -m tf1_mnist compare $(LOG) $(ARGS)

test: $(INSTALLED) lint
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check tf1_mnist tests notebooks visualizations.py setup.py docs
	$(BIN)/ruff format --check tf1_mnist tests notebooks visualizations.py setup.py docs

# TensorBoard on the latest run trained with ARGS=--tensorboard (or RUN=runs/<run>/tensorboard),
# served on http://127.0.0.1:6006; the viewer is an extra, installed on first use.
tensorboard: $(INSTALLED)
	@$(BIN)/python -c 'import tensorboard' 2>/dev/null || $(BIN)/pip install --quiet -e '.[tensorboard]'
	@logdir="$${RUN:-$$(ls -td runs/*/tensorboard 2>/dev/null | head -n 1)}"; \
	if [ -z "$$logdir" ]; then \
	  echo "make: no run has TensorBoard files yet; train one with: make train ARGS=--tensorboard" >&2; \
	  exit 1; \
	fi; \
	echo "TensorBoard for $$logdir on http://127.0.0.1:6006 (Ctrl-C stops it)" >&2; \
	TF_CPP_MIN_LOG_LEVEL=3 exec $(BIN)/tensorboard --logdir "$$logdir" --host 127.0.0.1 --port 6006

# The pictures in the READMEs, from a default run, and the history guide's timeline.
figures: $(INSTALLED)
	$(BIN)/python docs/timeline.py
	rm -rf runs/readme
	$(BIN)/python -m tf1_mnist train --out runs/readme > /dev/null
	$(BIN)/python -m tf1_mnist evaluate runs/readme > /dev/null
	cp runs/readme/losses_accuracies.png runs/readme/weights.png docs/

$(INSTALLED): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,tf1]'
	touch $(INSTALLED)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
