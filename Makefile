# The two commands a user needs: `make train` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# A relative data folder is relative to this folder, also for the notebook, which runs in
# notebooks/: hand every command the absolute path.
ifdef MNISTLAB_DATA_DIR
export MNISTLAB_DATA_DIR := $(abspath $(MNISTLAB_DATA_DIR))
endif

.PHONY: train test lint figures clean

train: $(INSTALLED)
	$(BIN)/mnistlab train $(ARGS)

test: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest

# The pictures in README.md, from a default run.
figures: $(INSTALLED)
	rm -rf runs/readme
	$(BIN)/mnistlab train --out runs/readme
	$(BIN)/mnistlab evaluate --model runs/readme/model.keras
	cp runs/readme/curves.png runs/readme/weights.png runs/readme/confusion.png \
	   runs/readme/mistakes.png docs/
	$(BIN)/python bench/predict_photos.py --model runs/readme/model.keras \
	   --samples docs/predict-samples
	$(BIN)/python bench/screenshot_serve.py --model runs/readme/model.keras --out docs/serve.png

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
