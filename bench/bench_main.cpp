// Benchmark driver: prints the build context and warns when the build would
// distort the numbers. `--smoke` runs every case once at small sizes (for CI).
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string filter = "--benchmark_filter=-(/10000000/|^sparse_(engine|oracle)/1/)";
  std::string min_time = "--benchmark_min_time=0.000001";
  bool smoke = false;
  for (auto it = args.begin(); it != args.end();) {
    if (std::strcmp(*it, "--smoke") == 0) {
      smoke = true;
      it = args.erase(it);
    } else {
      ++it;
    }
  }
  if (smoke) {
    // Every case once, without the slowest sizes: shows they run, times mean nothing.
    args.push_back(filter.data());
    args.push_back(min_time.data());
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::AddCustomContext("compiler", PATCHRACE_COMPILER);
  benchmark::AddCustomContext("build_type", PATCHRACE_BUILD_TYPE);
  benchmark::AddCustomContext("cxx_flags", PATCHRACE_CXX_FLAGS);
  benchmark::AddCustomContext("seed", "2026 (replicate = iteration index)");
#ifndef NDEBUG
  benchmark::AddCustomContext("WARNING", "built without NDEBUG: numbers are not representative");
#endif
#if !defined(__OPTIMIZE__)
  benchmark::AddCustomContext("WARNING_OPT", "built without optimisation: numbers are meaningless");
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
