# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   create .venv, install, run the main job on the bundled fixtures
#   make test   create .venv, install, lint, type-check, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench bench-scale bench-find clean

# An editable install leaves our own modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set (as on these machines) every command then compiles them again at start-up
# (about 0.1 s of a one-quote check): compile them once here, as pip does for an
# installed package. A module edited later is compiled again on import, never stale.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q crawler verify spiders testbed > /dev/null
	touch $(STAMP)

# The main job on the bundled fixtures, offline, with the default SQLite file: find the
# citing article's quotes, verify each against its recorded source, report. Its exit
# status is a verdict (1: the seed's Guardian quote is altered, by design), so only
# 2 (bad input) and 4 (a bug) fail the demo.
demo: $(STAMP)
	@$(BIN)/sourcecheck run fixtures/pages/citing-article.txt --published 2024-10-24 --replay fixtures; \
	  status=$$?; [ $$status -le 1 ] || [ $$status -eq 3 ] || exit $$status

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The bench compares against quotecheck 0.1.0 (PyPI), which is not a dependency of
# sourcecheck: it is installed here only, and the bench skips it if that fails.
$(VENV)/.quotecheck: $(STAMP)
	$(BIN)/pip install --quiet quotecheck==0.1.0 \
		|| echo "note: quotecheck 0.1.0 could not be installed; the bench will skip it"
	touch $@

# The evaluation pages are read at run time and never committed.
BENCH_PAGES ?= ../shared/eval/pages

bench/data/cases.jsonl: | $(STAMP)
	$(BIN)/python bench/make_cases.py --pages $(BENCH_PAGES) --out $@

# --cli also runs the batch through the product path (`sourcecheck check --batch`) and
# prints its wall time against quotecheck's; single_check.py times one local check.
bench: $(VENV)/.quotecheck bench/data/cases.jsonl
	$(BIN)/python bench/accuracy.py --pages $(BENCH_PAGES) --cli
	$(BIN)/python bench/speed.py --pages $(BENCH_PAGES)
	$(BIN)/python bench/single_check.py --pages $(BENCH_PAGES)
	$(BIN)/python bench/discovery.py --pages $(BENCH_PAGES)
	$(BIN)/python bench/speakers.py --pages $(BENCH_PAGES)

# Crawl throughput (one process on SQLite and PostgreSQL, one and two workers with
# Redis) against trafilatura alone, on the evaluation corpus: needs PostgreSQL and Redis
# on 127.0.0.1 (docs/scale.md). Prints figures; not a test.
bench-scale: $(STAMP)
	$(BIN)/python bench/throughput.py $(BENCH_PAGES)

# `sourcecheck find` on a synthetic store of 10k, 30k and 100k snapshots built at run time
# from the evaluation pages (never written outside a scratch database), on SQLite and on
# PostgreSQL (127.0.0.1; skipped with --backends sqlite). Prints figures; not a test.
bench-find: $(STAMP)
	$(BIN)/python bench/find.py --pages $(BENCH_PAGES)

clean:
	rm -rf $(VENV) build *.egg-info
