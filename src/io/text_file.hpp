// Reading a whole input file, bounded, with the one-line error every input file gets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace patchrace::detail {

/// The bytes of the regular file at `path`, at most `max_bytes` of them.
/// The file is opened without blocking (a FIFO does not wait for a writer), checked with
/// fstat() before anything is read, and read at most `max_bytes` + 1 bytes, so a file
/// that grows while it is read is refused too. Throws patchrace::InvalidScenario, on one
/// line, "cannot read <what> '<path>': <reason>", the reason being the system's
/// ("No such file or directory"), "it is a directory", "it is a <kind>, not a regular
/// file" (character device, block device, FIFO, socket),
/// "it is <n> bytes, more than the limit of <max_bytes> bytes (<readable>)" or
/// "it grew past the limit of <max_bytes> bytes (<readable>) while it was read".
[[nodiscard]] std::string read_text_file(const std::string& path, std::string_view what,
                                         std::uint64_t max_bytes);

}  // namespace patchrace::detail
