// A bound on how deep a TOML document can nest tables, checked on the text before toml++
// parses it. toml++ 3.3.0 limits nested values (arrays, inline tables) to 256 levels, but
// not dotted keys and table names: `[a.a.a...]` with 200,000 parts overflows its stack, and
// a 4 MiB file of them builds 2 million nested tables (660 MB). Each dotted key and table
// name is therefore limited to kMaxKeyParts parts (patchrace/limits.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace patchrace::detail {

/// Where something lies in a text: line and column (in characters) from 1.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The position of the first key part that makes a dotted key or table name of `text`
/// (valid UTF-8) longer than `max_parts` parts, or nullopt. Outside strings and comments,
/// a part is a run of bare-key characters (A-Z a-z 0-9 _ -) or a quoted string, and parts
/// joined by '.' (spaces and tabs allowed around it) form one key; anything else ends it.
/// This over-counts (a float "1.5" counts as two parts) but never under-counts a key that
/// toml++ would accept, since strings and comments are delimited as in TOML 1.0.
[[nodiscard]] std::optional<TextPosition> find_overlong_key(std::string_view text,
                                                            std::size_t max_parts);

}  // namespace patchrace::detail
