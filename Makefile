# make run: install, index corpus/, serve at http://127.0.0.1:5000
# make test: install, run the test suite
# make run CORPUS=$HOME/reports INDEX=$HOME/reports-index PORT=5001: your own reports, index folder and port
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
INDEX ?= index
INDEX_DIR ?= $(INDEX)
PORT ?= 5000

.PHONY: install index run test test-all bench clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Exit 1 (some files failed, the rest indexed: reported above) still serves; exit 2 is retried once with
# --rebuild, which is what an index written by an older version needs (any other fatal error repeats).
index: install
	$(BIN)/reports-index build "$(CORPUS)" --index-dir "$(INDEX_DIR)" || case $$? in \
	  1) true ;; \
	  2) echo "make: building the index again from scratch (--rebuild)"; \
	     $(BIN)/reports-index build "$(CORPUS)" --index-dir "$(INDEX_DIR)" --rebuild || [ $$? -eq 1 ] ;; \
	  *) false ;; \
	esac

run: index
	$(BIN)/reports-web --index-dir "$(INDEX_DIR)" --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/pytest

test-all: install
	$(BIN)/pytest -m ""

bench: install
	$(BIN)/python -m bench --reports 1000

clean:
	rm -rf $(VENV) "$(INDEX_DIR)" *.egg-info
