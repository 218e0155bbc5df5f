# obuka — two commands do all the set-up: `make run` and `make test`.
SWIFT ?= swift
OBUKA_DATA ?= $(CURDIR)/var
export OBUKA_DATA
BIN := .build/debug/obuka

.PHONY: run test build bootstrap bench clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build --build-tests

# Build, create/migrate the data directory, load the demo data, show what is there.
run: build
	$(BIN) init
	$(BIN) demo seed
	$(BIN) status

# Build and run every test.
test: build
	$(SWIFT) test --skip-build

bench:
	@scripts/bootstrap --bench
	Benchmarks/run

clean:
	rm -rf .build var
