// What every fuzz target checks beyond "no crash": the reader's own promises.
// A broken promise aborts, which libFuzzer reports as a crash with the input saved.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "patchrace/error.hpp"

namespace patchrace::fuzz {

/// Aborts with `promise` on stderr unless `holds`.
inline void require(bool holds, const char* promise) {
  if (holds) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  std::abort();
}

/// Errors are one non-empty line (the CLI prints them after "patchrace: error: ").
inline void check_message(const Error& error) {
  const std::string_view message = error.what();
  if (!message.empty() && message.find_first_of("\n\r") == std::string_view::npos) return;
  std::fprintf(stderr, "fuzz: error message is not one non-empty line: \"%s\"\n", error.what());
  std::abort();
}

}  // namespace patchrace::fuzz
