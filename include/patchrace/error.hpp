// The single error family of patchrace.
#pragma once

#include <stdexcept>
#include <string>

namespace patchrace {

/// Base of every error patchrace raises on purpose. The message is one line that
/// names the place, the offending value and what was allowed.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A scenario (file, preset, dictionary or programmatic value) failed validation.
/// Raised only at the boundaries where input enters; the engine assumes a valid scenario.
class InvalidScenario : public Error {
 public:
  using Error::Error;
};

/// A bad command-line value or an unusable output location (CLI exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace patchrace
