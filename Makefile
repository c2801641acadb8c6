# The two set-up commands (see README.md):
#   make run    installs what is missing, builds, runs the default preset
#   make test   installs what is missing, builds, runs every test
BUILD ?= build
JOBS ?= $(shell nproc)
OUT ?= patchrace-out

.PHONY: deps configure build run test test-quick bench bench-smoke clean

deps:
	@./scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/patchrace run --out $(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Unit and CLI tests only (skips the statistical suite).
test-quick: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE stochastic

bench: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DPATCHRACE_BUILD_BENCH=ON -DPATCHRACE_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	./$(BUILD)-bench/bench/patchrace_bench

clean:
	rm -rf $(BUILD) $(BUILD)-bench

# A quick run of every benchmark, for CI: checks they work, never gated on time.
bench-smoke: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DPATCHRACE_BUILD_BENCH=ON -DPATCHRACE_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	./$(BUILD)-bench/bench/patchrace_bench --smoke
