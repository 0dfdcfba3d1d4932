# Thin wrapper for the two README commands; the build itself is Meson + Ninja.
#   make        build build/softbmcd
#   make run    build and run the BMC on the simulated server (127.0.0.1:623, HTTPS 127.0.0.1:8443)
#   make test   unit tests + real-client integration tests (ASan/UBSan build) + fuzz smoke
#   make fuzz   every libFuzzer target for FUZZ_SECONDS (default 60) each (clang build-fuzz/)
#   make bench  softbmcd against OpenIPMI's ipmi_sim (bench/README.md); never part of test
STATE ?= run-state
LISTEN ?= 127.0.0.1:623
HTTP ?= 127.0.0.1:8443
FUZZ_SECONDS ?= 60

.PHONY: all build build-asan build-fuzz deps-build deps-test deps-fuzz run test fuzz bench clean

all: build

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

deps-fuzz:
	@scripts/deps.sh fuzz

build: deps-build
	@[ -f build/build.ninja ] || meson setup build
	@ninja -C build

build-asan: deps-build
	@[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	@ninja -C build-asan

build-fuzz: deps-fuzz
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=disabled
	@ninja -C build-fuzz

fuzz: build-fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

run: build
	@scripts/run.sh build/softbmcd $(STATE) $(LISTEN) $(HTTP)

test: deps-test build build-asan build-fuzz
	@tests/run.sh

bench:
	@bench/run.sh

clean:
	rm -rf build build-asan build-bench build-fuzz
