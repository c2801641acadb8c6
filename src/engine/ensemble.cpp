// Replicates in parallel: a fixed pool of threads takes replicate indices in order.
#include "patchrace/ensemble.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "patchrace/simulate.hpp"

namespace patchrace {

std::vector<Result> run_ensemble(const Scenario& scenario, std::uint64_t seed, unsigned threads,
                                 const ProgressCallback& progress) {
  validate(scenario);
  const std::uint32_t total = scenario.run.replicates;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, total);

  std::vector<Result> results(total);
  std::atomic<std::uint32_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex report_mutex;
  std::uint32_t finished = 0;
  std::exception_ptr error;

  auto worker = [&] {
    while (!failed.load()) {
      const std::uint32_t replicate = next.fetch_add(1);
      if (replicate >= total) return;
      try {
        results[replicate] = simulate(scenario, seed, replicate);
      } catch (...) {
        std::lock_guard lock(report_mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
        return;
      }
      std::lock_guard lock(report_mutex);
      ++finished;
      if (progress) progress(finished, total);
    }
  };

  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
  return results;
}

}  // namespace patchrace
