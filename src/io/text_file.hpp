// Reading a whole input file, with the one-line error every input file gets.
#pragma once

#include <string>
#include <string_view>

namespace patchrace::detail {

/// The bytes of the file at `path`. Throws patchrace::InvalidScenario
/// "cannot read <what> '<path>': <reason>" if it is a directory or cannot be read.
[[nodiscard]] std::string read_text_file(const std::string& path, std::string_view what);

}  // namespace patchrace::detail
