# Every target bootstraps what it needs: a fresh clone needs nothing but Python 3.11+.
SHELL := /bin/bash
export SAM_CLI_TELEMETRY := 0
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# aws-sam-cli pins its own pydantic; checkov brings many libraries: each gets a venv of its own.
SAM_VENV := .venv-sam
CHECKOV_VENV := .venv-checkov
SAM := $(SAM_VENV)/bin/sam
STAMP := $(VENV)/.installed

.PHONY: help venv run test test-fast lint format typecheck template-check build deploy preflight bench bench-cold bench-tags bench-spam bench-images bench-publish wordlist train-tagger bench-local-latency bench-local-memory schemas openapi alarms clean

help:
	@echo "make run             start the local stack (moto, local API and CDN) with sample content"
	@echo "make test            every test: lint, template checks, unit, integration, end to end"
	@echo "make bench           request counts and cold starts; results in docs/benchmarks.md"
	@echo "make bench-cold      cold starts only (a few minutes): each handler's import, and import + first invocation on moto"
	@echo "make bench-tags      tag and related-list quality beside baselines (a few minutes; needs ../shared/data)"
	@echo "make bench-spam      the comment content rules on labelled sets: judol promotions kept, readers held"
	@echo "make bench-images    a 12 and a 24 MP photo's variants: time, peak memory, bytes (about a minute)"
	@echo "make bench-publish   one publish at 10k/1M articles, 50/2,000 a day, 100/100k tags: requests, items, documents, cost"
	@echo "make bench-local-latency  upload to JSON on the local CDN: 500 uploads in a row, p50 and p95, memory (about 15 min)"
	@echo "make bench-local-memory  the local stack's memory with 2,000 published articles"
	@echo "make lint            ruff and mypy"
	@echo "make train-tagger    train the entity recogniser on ../shared/data/indonlu (about a minute), print its F1"
	@echo "make wordlist        rebuild the comment rules' word list and the stems' article counts from ../shared/data/indosum"
	@echo "make openapi         regenerate docs/openapi.yaml from the API functions' routes"
	@echo "make build           sam build (arm64 wheels, no Docker), bytecode for CPython 3.13, artifacts checked"
	@echo "make deploy          account checks, sam build + sam deploy --guided (README: Deploying)"
	@echo "make alarms          regenerate template.yaml's alarms and dashboard from its functions and queues"

venv: $(STAMP)

$(STAMP): pyproject.toml shared/requirements.txt functions/publish/requirements.txt functions/images/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(SAM_VENV)/.installed:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet 'aws-sam-cli==1.170.0' 'cfn-lint>=1.20'
	touch $@

$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov>=3.2'
	touch $@

run: venv
	$(PY) -m kabar_infra.local

# pytest-xdist: one worker per core, each test file on one worker (its module fixtures, such as a
# local stack, start once).
test: venv lint template-check
	$(PY) -m pytest -n auto --dist loadfile

# tests/infra translate the template with the aws-sam-cli virtualenv's samtranslator.
test-fast: venv $(SAM_VENV)/.installed
	$(PY) -m pytest -m "not e2e"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# sam validate --lint, cfn-lint on the transformed template with the house rules (infra/cfn_rules),
# checkov on both, and sam build (whose artifacts must be arm64 / CPython 3.13 whatever machine builds them).
template-check: $(SAM_VENV)/.installed $(CHECKOV_VENV)/.installed
	$(SAM) validate --lint --template template.yaml --region us-east-1
	$(SAM_VENV)/bin/python infra/transform.py template.yaml > .aws-sam-transformed.json
	$(SAM_VENV)/bin/cfn-lint --append-rules infra/cfn_rules --template .aws-sam-transformed.json
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov --quiet --compact --framework cloudformation \
	  --file template.yaml --file .aws-sam-transformed.json
	rm -f .aws-sam-transformed.json
	$(SAM) build --template template.yaml
	$(PYTHON) infra/check_build.py --compile --if-available .aws-sam/build

# sam build, then bytecode for Lambda's CPython 3.13 (its /var/task is read-only: a module without it is
# compiled on every cold start) and the artifacts' extensions checked (infra/check_build.py).
build: $(SAM_VENV)/.installed
	$(SAM) build --template template.yaml
	$(PYTHON) infra/check_build.py --compile .aws-sam/build

# Read-only checks of the account (API Gateway's CloudWatch Logs role, Lambda concurrency) that say
# what to answer to the guided deploy's prompts.
preflight: venv
	$(PY) -m kabar_infra.preflight

deploy: preflight build
	$(SAM) deploy --guided

bench: venv
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/run.py
	$(PY) benchmarks/local_latency.py
	$(PY) benchmarks/local_memory.py

# Cold starts only (part of `make bench`): each handler's import beside `import boto3`, and its import + first
# invocation against a moto server beside `import boto3` + its clients (KABAR_BENCH_COLD_RUNS, default 15);
# fails when a function misses a target (`make bench` reports it and goes on).
bench-cold: venv
	$(PY) benchmarks/cold_start.py

# The Indonesian words the comment rules know (shared/kabar/text/data), from ../shared/data/indosum.
wordlist: venv
	$(PY) -m kabar_infra.wordlist

# The entity recogniser's weights (shared/kabar/text/data/entities.bin), from ../shared/data/indonlu and
# IndoSum's casing; prints the entity F1 on the validation and test splits.
train-tagger: venv
	$(PY) -m kabar_infra.train_tagger

# Tag and related-list quality (a few minutes, needs ../shared/data): entity F1 on IndoNLU, tags on the
# labelled set beside capitalised phrases and YAKE, related lists on IndoSum beside TF-IDF.
bench-tags: venv
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/quality_sections.py

# The comment content rules on the labelled sets (seconds): promotions kept, ordinary comments marked
# spam or held, time per comment; benchmarks/spam_quality.py.
bench-spam: venv
	$(PY) benchmarks/spam_quality.py

# Photos (issue 15): time and peak memory for a 12 and a 24 MP photo's variants (KABAR_BENCH_IMAGE_RUNS, default 3).
bench-images: venv
	$(PY) benchmarks/images_bench.py

# The local stack as `make run` starts it, 2,000 articles published through it (KABAR_BENCH_LOCAL_ARTICLES).
# One publish at newsroom scale (part of `make bench`, a few minutes): benchmarks/publish_bench.py; fails when a
# size is over the issue's bounds or the seed is not equivalent to the full table.
bench-publish: venv
	$(PY) benchmarks/publish_bench.py

# Upload to the article's JSON on the local CDN, 500 uploads one after the other (KABAR_BENCH_LATENCY_UPLOADS;
# about 15 minutes): p50 and p95 of the first 50 and of all, and the stack's memory against its 2 GiB bound.
bench-local-latency: venv
	$(PY) benchmarks/local_latency.py

bench-local-memory: venv
	$(PY) benchmarks/local_memory.py

schemas: venv
	$(PY) -m kabar_infra.schemas docs/schemas

# docs/openapi.yaml from the API functions' routes (tests/infra/test_openapi.py fails when it is stale).
openapi: venv
	$(PY) -m kabar_infra.openapi docs/openapi.yaml

# template.yaml's alarms and dashboard from its functions and queues (tests/infra/test_template_alarms.py
# fails when they are stale).
alarms: venv
	$(PY) -m kabar_infra.alarms template.yaml

clean:
	rm -rf .aws-sam .kabar .pytest_cache .mypy_cache .ruff_cache
