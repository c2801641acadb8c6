// parse_toml(): toml++ kept away from the characters it mishandles (see io/toml.hpp).
//
// Before parsing, the text is checked to be UTF-8 and every character of the unsafe
// ranges is swapped for a stand-in of the supplementary private use area (U+F0000 on,
// which toml++ classifies correctly: it is above U+FEFF). toml++ treats a stand-in exactly
// as it should have treated the character (neither is whitespace, a bare-key character or
// a control character), and counts it as one column like the character. After parsing,
// every string value and key, and any syntax error's description, gets its characters
// back. Stand-ins written in the file itself are refused, so the swap cannot be confused.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/toml.hpp"
#include "io/toml_key_parts.hpp"
#include "patchrace/limits.hpp"
#include "patchrace/error.hpp"

namespace patchrace::detail {
namespace {

struct CodeRange {
  char32_t first;
  char32_t last;  // inclusive
};

/// The characters for which toml++ 3.3.0's is_non_ascii_horizontal_whitespace() reaches
/// TOML_UNREACHABLE (its lookup table sends them to a switch case it does not list).
constexpr std::array<CodeRange, 4> kUnsafe = {
    {{0x00A1, 0x0499}, {0x2C5E, 0x2FFF}, {0x3001, 0x3057}, {0xFB26, 0xFEFE}}};
constexpr char32_t kStandInBase = 0xF0000;

constexpr char32_t unsafe_count() {
  char32_t n = 0;
  for (const CodeRange& r : kUnsafe) n += r.last - r.first + 1;
  return n;
}
constexpr char32_t kStandInLast = kStandInBase + unsafe_count() - 1;  // U+F0BCA

/// The stand-in of an unsafe character, or nullopt for a safe one.
std::optional<char32_t> stand_in(char32_t c) {
  char32_t offset = 0;
  for (const CodeRange& r : kUnsafe) {
    if (c >= r.first && c <= r.last) return kStandInBase + offset + (c - r.first);
    offset += r.last - r.first + 1;
  }
  return std::nullopt;
}

/// The character a stand-in replaced. Precondition: kStandInBase <= c <= kStandInLast.
char32_t original_of(char32_t c) {
  char32_t offset = c - kStandInBase;
  for (const CodeRange& r : kUnsafe) {
    const char32_t size = r.last - r.first + 1;
    if (offset < size) return r.first + offset;
    offset -= size;
  }
  return c;  // not reached for a stand-in
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// One decoded character: its code point and its length in bytes, or nullopt when the
/// bytes at `text[i]` are not well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing past U+10FFFF, no truncated sequence).
std::optional<std::pair<char32_t, std::size_t>> decode(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return std::pair<char32_t, std::size_t>{lead, 1};
  std::size_t length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, c = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, c = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - i < length) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
  return std::pair<char32_t, std::size_t>{c, length};
}

/// `text` with every unsafe character swapped for its stand-in; throws InvalidScenario
/// at the first byte that is not UTF-8 and at the first stand-in written in the text.
std::string shield(std::string_view text, const std::string& source) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode(text, i);
    if (!decoded) {
      throw InvalidScenario(fmt::format("{}:{}:{}: invalid UTF-8: byte 0x{:02x} at byte offset {}",
                                        source, line, column, static_cast<unsigned char>(text[i]),
                                        i));
    }
    const auto [c, length] = *decoded;
    if (c >= kStandInBase && c <= kStandInLast) {
      throw InvalidScenario(fmt::format(
          "{}:{}:{}: character U+{:04X} (supplementary private use) is not allowed, expected "
          "none of U+{:04X}..U+{:04X}",
          source, line, column, static_cast<std::uint32_t>(c),
          static_cast<std::uint32_t>(kStandInBase), static_cast<std::uint32_t>(kStandInLast)));
    }
    if (const auto replacement = stand_in(c)) {
      append_utf8(out, *replacement);
    } else {
      out.append(text.substr(i, length));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return out;
}

/// Whether `text` (UTF-8) holds a stand-in: its encodings all start with F3 B0.
bool has_stand_in(std::string_view text) {
  return text.find("\xF3\xB0") != std::string_view::npos;
}

/// `text` with every stand-in swapped back for its character. Bytes that do not decode
/// are kept as they are.
std::string restored(std::string_view text) {
  if (!has_stand_in(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode(text, i);
    if (!decoded) {
      out += text[i++];
      continue;
    }
    const auto [c, length] = *decoded;
    if (c >= kStandInBase && c <= kStandInLast) {
      append_utf8(out, original_of(c));
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

/// Restores every string value and key below `root`; moved nodes keep their positions.
/// Iterative, not recursive: a document may nest thousands of levels (inline tables with
/// dotted keys), deeper than a thread's stack allows for recursion in every build.
void restore_tree(toml::node& root) {
  std::vector<toml::node*> pending{&root};
  while (!pending.empty()) {
    toml::node& node = *pending.back();
    pending.pop_back();
    if (auto* value = node.as_string()) {
      if (has_stand_in(value->get())) value->get() = restored(value->get());
      continue;
    }
    if (auto* array = node.as_array()) {
      for (toml::node& element : *array) pending.push_back(&element);
      continue;
    }
    auto* table = node.as_table();
    if (table == nullptr) continue;
    std::vector<toml::key> renamed;
    for (auto&& [key, value] : *table) {
      if (has_stand_in(key.str())) renamed.push_back(key);
    }
    // A key holding a stand-in was quoted in the file; its restored form is new to the
    // table (stand-ins written in the file are refused), so it cannot collide. Renaming
    // moves the value to a new node, so the values are queued only after.
    for (const toml::key& key : renamed) {
      toml::node& value = *table->get(key.str());
      toml::key restored_key(restored(key.str()), toml::source_region(key.source()));
      value.visit([&](auto& concrete) {
        auto moved = std::move(concrete);
        table->erase(key.str());
        table->insert(std::move(restored_key), std::move(moved));
      });
    }
    for (auto&& [key, value] : *table) pending.push_back(&value);
  }
}

/// toml++'s description of a syntax error, on one line, starting in lower case.
std::string syntax_error_message(std::string_view description) {
  std::string message = restored(description);
  std::replace_if(
      message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') message[0] += 'a' - 'A';
  return "invalid TOML: " + message;
}

}  // namespace

void toml_unreachable() {
  throw TomlInternalError("toml++ reached a state it calls unreachable");
}

toml::table parse_toml(std::string_view text, const std::string& source_name) {
  const std::string shielded = shield(text, source_name);
  if (const auto at = find_overlong_key(text, kMaxKeyParts)) {
    throw InvalidScenario(fmt::format(
        "{}:{}:{}: invalid TOML: a dotted key or table name of more than {} parts, expected at "
        "most {}",
        source_name, at->line, at->column, kMaxKeyParts, kMaxKeyParts));
  }
  toml::table root;
  try {
    root = toml::parse(shielded, source_name);  // each node knows its source (--set values name theirs)
  } catch (const toml::parse_error& error) {
    const toml::source_position where = error.source().begin;
    throw InvalidScenario(fmt::format("{}:{}:{}: {}", source_name, std::max(where.line, 1u),
                                      std::max(where.column, 1u),
                                      syntax_error_message(error.description())));
  } catch (const TomlInternalError&) {
    throw InvalidScenario(
        fmt::format("{}: invalid TOML: the TOML reader failed on this input", source_name));
  }
  restore_tree(root);
  return root;
}

}  // namespace patchrace::detail
