# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ARGS ?=
EPISODES ?= 3
SITES ?= 2
CHAOS_ARGS ?=

.PHONY: demo test label-renderer chaos bench bench-sync bench-drain bench-sites bench-scan_feedback bench-edge_api bench-edge_writer bench-dashboard bench-ops bench-central_ingest venv mosquitto clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

mosquitto:
	@bash deploy/ensure-mosquitto.sh

demo: venv mosquitto
	$(PY) -m deploy.demo $(DEMO_ARGS)

label-renderer:
	@bash deploy/install-label-renderer.sh

test: venv mosquitto label-renderer
	$(PY) -m pytest -q
	$(PY) -m pytest -q --central-db=postgres tests/integration/central tests/integration/sync tests/e2e/test_secured_broker.py

chaos: venv mosquitto
	$(PY) -m deploy.chaos --episodes $(EPISODES) --sites $(SITES) $(CHAOS_ARGS)

bench: bench-sync bench-drain bench-sites bench-scan_feedback bench-edge_api bench-edge_writer bench-dashboard bench-ops bench-central_ingest

bench-sync: venv mosquitto
	$(PY) -m bench.sync

bench-drain: venv mosquitto
	$(PY) -m bench.drain

bench-sites: venv mosquitto
	$(PY) -m bench.sites

bench-scan_feedback: venv
	$(PY) -m bench.scan_feedback

bench-edge_api: venv mosquitto
	$(PY) -m bench.edge_api

bench-edge_writer: venv
	$(PY) -m bench.edge_writer

bench-dashboard: venv
	$(PY) -m bench.dashboard_render

bench-ops: venv
	$(PY) -m bench.ops_render

bench-central_ingest: venv mosquitto
	$(PY) -m bench.central_ingest $(BENCH_ARGS)

.PHONY: bench-central_ledger
bench-central_ledger: venv
	$(PY) -m bench.central_ledger

clean:
	rm -rf .demo .pytest_cache build *.egg-info
