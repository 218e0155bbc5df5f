# obuka — two commands do all the set-up: `make run` and `make test`.
SWIFT ?= swift
OBUKA_DATA ?= $(CURDIR)/var
export OBUKA_DATA
BIN := .build/debug/obuka

.PHONY: run test build bootstrap bench soak fuzz a11y clean
FUZZ_SECONDS ?= 300

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build --build-tests

# Build, create/migrate the data directory, load the demo data (printing one login per role), serve.
run: build
	$(BIN) init
	$(BIN) demo seed
	$(BIN) status
	$(BIN) serve --host 127.0.0.1 --port 8080

# Build and run every test: the Swift suites, schemathesis against the API, the browser tests in headless Chromium,
# axe-core on every page at phone width (the main ones at desktop width too), the reliability harness, and 30 s of
# fuzzing per reader.
test: build
	$(SWIFT) test --skip-build
	Tests/api/run
	Tests/browser/run
	Tests/browser/run --a11y
	python3 Tests/reliability/harness.py crash --rounds 20
	python3 Tests/reliability/harness.py contention --seconds 10
	python3 Tests/reliability/harness.py diskfull
	python3 Tests/reliability/harness.py mailcrash --messages 50
	Fuzz/run --seconds 30

# libFuzzer on the untrusted-input readers (curriculum XML, certificate templates, CSV), FUZZ_SECONDS each.
fuzz: bootstrap
	Fuzz/run --seconds $(FUZZ_SECONDS)

# The long reliability runs: 200 crash rounds, five minutes of contention, 500 messages delivered through kills.
soak: build
	python3 Tests/reliability/harness.py crash --rounds 200
	python3 Tests/reliability/harness.py contention --seconds 300
	python3 Tests/reliability/harness.py diskfull
	python3 Tests/reliability/harness.py mailcrash --messages 500

# axe-core on every page of every role at phone and desktop width.
a11y: build
	Tests/browser/run --a11y --all

bench:
	@scripts/bootstrap --bench
	Benchmarks/run

clean:
	rm -rf .build var
