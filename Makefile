# The two set-up commands (see README.md):
#   make run    installs what is missing, builds, runs the default preset
#   make test   installs what is missing, builds, runs every test
# Reliability (docs/reliability.md): test-sanitize, test-assert, fuzz-smoke, fuzz.
BUILD ?= build
JOBS ?= $(shell nproc)
OUT ?= patchrace-out
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 10000000

.PHONY: deps deps-fuzz configure build run test test-quick test-sanitize test-assert \
        fuzz-build fuzz-smoke fuzz bench bench-smoke clean

deps:
	@./scripts/install-deps.sh

deps-fuzz:
	@./scripts/install-deps.sh fuzz

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

# Unit and CLI tests built in Debug with AddressSanitizer and UBSan: any finding fails.
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DPATCHRACE_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS) --target patchrace_quick_tests
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -L 'unit|cli'

# Unit and CLI tests built optimised with assertions on (no NDEBUG), toml++'s included.
test-assert: deps
	cmake -S . -B $(BUILD)-assert -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g"
	cmake --build $(BUILD)-assert -j $(JOBS) --target patchrace_quick_tests
	cd $(BUILD)-assert && ctest --output-on-failure -j $(JOBS) -L 'unit|cli'

# The libFuzzer targets of tests/fuzz, built with clang 14, ASan and UBSan.
fuzz-build: deps-fuzz
	cmake -S . -B $(BUILD)-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPATCHRACE_FUZZ=ON -DPATCHRACE_BUILD_TESTS=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target patchrace_fuzzers

# Each fuzz target for FUZZ_SECONDS (CI); fails if one finds a crash, hang or blow-up.
fuzz-smoke: fuzz-build
	./tests/fuzz/run.sh $(BUILD)-fuzz --time $(FUZZ_SECONDS)

# Each fuzz target for ten times FUZZ_SECONDS, or with LONG=1 for FUZZ_RUNS executions.
fuzz: fuzz-build
	./tests/fuzz/run.sh $(BUILD)-fuzz $(if $(LONG),--runs $(FUZZ_RUNS),--time $(shell echo $$(($(FUZZ_SECONDS) * 10))))

bench: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DPATCHRACE_BUILD_BENCH=ON -DPATCHRACE_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	./$(BUILD)-bench/bench/patchrace_bench

clean:
	rm -rf $(BUILD) $(BUILD)-bench $(BUILD)-asan $(BUILD)-assert $(BUILD)-fuzz

# A quick run of every benchmark, for CI: checks they work, never gated on time.
bench-smoke: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DPATCHRACE_BUILD_BENCH=ON -DPATCHRACE_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	./$(BUILD)-bench/bench/patchrace_bench --smoke
