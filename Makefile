# peakplan — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REF_VENV := .venv-ref
DEMO_OUT ?= out/double11-2026
REVIEW_OUT ?= out/double11-2026-review

.PHONY: demo test lint dashboard bench sample-data clean e2e

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Reference implementations used only by benchmarks (pyworkforce 0.5.1 runs on Python 3.11).
$(REF_VENV)/.installed:
	$(PYTHON) -m venv $(REF_VENV)
	$(REF_VENV)/bin/python -m pip install --quiet "pyworkforce==0.5.1"
	touch $@

demo: $(STAMP)
	$(VENV)/bin/peakplan run data/sample/double11-2026.toml --out $(DEMO_OUT)
	$(VENV)/bin/peakplan review --run $(DEMO_OUT) --actuals data/sample/actuals --out $(REVIEW_OUT) \
	  --time-limit 20

test: $(STAMP) $(REF_VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest -q -m "not e2e"

# Browser tests: the real Streamlit server in headless chromium (system package; playwright
# cannot download browsers here), every page in Chinese and English. As root with apt-get,
# installs chromium and the CJK font (fonts-wqy-microhei) when either is missing. Without chromium
# the tests report themselves skipped, except under CI=true (.ci/run sets it), where they fail.
# Screenshots of every page: PEAKPLAN_SCREENSHOTS=docs/screenshots make e2e.
E2E_PACKAGES = $(if $(shell command -v chromium || command -v chromium-browser),,chromium) \
  $(if $(shell fc-list :lang=zh 2>/dev/null),,fonts-wqy-microhei)

e2e: $(STAMP)
	@if [ -n "$(strip $(E2E_PACKAGES))" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "e2e: installing $(strip $(E2E_PACKAGES))"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq $(E2E_PACKAGES) >/dev/null; \
	  else \
	    echo "e2e: $(strip $(E2E_PACKAGES)) missing and not installable here (needs root and" \
	      "apt-get); without chromium the browser tests skip (fail under CI=true)"; \
	  fi; \
	fi
	$(PY) -m pytest -q -rs -m e2e

lint: $(STAMP)
	$(PY) -m ruff check .

dashboard: $(STAMP)
	@test -f $(DEMO_OUT)/summary.json || $(MAKE) demo
	$(PY) -m dashboard.serve -- --run $(DEMO_OUT) --review $(REVIEW_OUT)

bench: $(STAMP) $(REF_VENV)/.installed
	$(PY) benchmarks/forecast_bench.py
	$(PY) benchmarks/staffing_bench.py
	$(PY) benchmarks/roster_bench.py
	$(PY) benchmarks/roster_seeds.py

sample-data: $(STAMP)
	$(VENV)/bin/peakplan sample-data --out data/sample

clean:
	rm -rf $(VENV) $(REF_VENV) out
