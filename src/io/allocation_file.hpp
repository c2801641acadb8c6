// Allocation lists: the prefixes where clustered placement may put hosts, read from a
// text file of one CIDR a line. docs/placement.md documents the format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patchrace/scenario.hpp"

namespace patchrace {

/// Parses an allocation list: one IPv4 prefix "a.b.c.d/n" a line (n in 0..32, the bits
/// of a.b.c.d below the prefix zero). Blank lines are skipped; `#` starts a comment that
/// runs to the end of the line; whitespace around a prefix is ignored (so are CRLF line
/// ends). Overlapping prefixes are merged: a prefix inside another listed prefix is
/// dropped (duplicates too), so the result is sorted by address and its prefixes are
/// pairwise disjoint. Adjacent prefixes are kept as listed, not combined.
/// `source` names the text in messages (a path, or e.g. "inline").
/// Throws patchrace::InvalidScenario, on one line, for the first bad line:
///   "<source>:<line>: malformed CIDR 'x', expected a.b.c.d/n with n in 0..32"
///   "<source>:<line>: 10.1.2.3/16 has host bits set, expected 10.1.0.0/16"
/// and for a list without any prefix:
///   "<source>: no prefixes, expected at least one CIDR a.b.c.d/n"
[[nodiscard]] std::vector<Prefix> parse_allocation_list(std::string_view text, const std::string& source);

/// Reads the file at `path` (a regular file of at most kMaxAllocationFileBytes,
/// patchrace/limits.hpp) and parses it with parse_allocation_list(text, path).
/// Throws patchrace::InvalidScenario "cannot read allocation file '<path>': <reason>"
/// (e.g. "No such file or directory", "it is a directory", "it is a FIFO, not a regular
/// file", a size over the limit; see detail::read_text_file()), or as parse_allocation_list.
[[nodiscard]] std::vector<Prefix> load_allocation_file(const std::string& path);

}  // namespace patchrace
