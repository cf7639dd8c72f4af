# timbra: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# `make test` also installs the `baseline` extra (facho, for `timbra bench baseline-facho`);
# `make run` does not.
TEST_STAMP := $(VENV)/.installed-test-stamp

.PHONY: install run test lint protos kafka-up kafka-down postgres-up postgres-down clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,baseline]'
	touch $(TEST_STAMP)

## run: the whole platform on its embedded default (SQLite, no external server, work processes
## on every core, both simulators), gRPC on 127.0.0.1:50051
run: install
	$(BIN)/timbra run

## test: lint, then the whole suite; the tests start Kafka and PostgreSQL themselves (deploy/)
test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## protos: regenerate timbra/v1 from protos/ (the tests fail when the two drift apart)
protos: install
	$(BIN)/python -m grpc_tools.protoc -Iprotos --python_out=. --pyi_out=. --grpc_python_out=. protos/timbra/v1/*.proto

kafka-up:
	deploy/kafka.sh start
kafka-down:
	deploy/kafka.sh stop
postgres-up:
	deploy/postgres.sh start
postgres-down:
	deploy/postgres.sh stop

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
