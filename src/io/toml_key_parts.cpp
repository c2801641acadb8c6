#include "io/toml_key_parts.hpp"

namespace patchrace::detail {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

/// The number of `quote` characters starting at `text[i]`.
std::size_t run_of(std::string_view text, std::size_t i, char quote) {
  std::size_t n = 0;
  while (i + n < text.size() && text[i + n] == quote) ++n;
  return n;
}

}  // namespace

std::optional<TextPosition> find_overlong_key(std::string_view text, std::size_t max_parts) {
  TextPosition at;
  std::size_t parts = 0;     // parts of the key being read
  bool after_dot = false;    // a '.' since the last part
  bool in_part = false;      // inside a bare part
  // Steps over text[i]: keeps the position (columns count characters, not bytes).
  const auto step = [&](std::size_t i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++at.column;
    }
  };
  // A part starts at the current position: it continues the key after a '.'.
  const auto start_part = [&]() -> bool {
    parts = after_dot ? parts + 1 : 1;
    after_dot = false;
    return parts > max_parts;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      in_part = false;
      if (start_part()) return at;
      const std::size_t opening = run_of(text, i, c);
      const bool multi_line = opening >= 3;
      // A quoted part or value: skip to its end (escapes only in basic strings).
      for (std::size_t k = 0; k < (multi_line ? 3 : 1); ++k) step(i++);
      while (i < text.size()) {
        if (c == '"' && text[i] == '\\' && i + 1 < text.size()) {
          step(i++);
          step(i++);
          continue;
        }
        if (!multi_line && text[i] == '\n') break;  // unterminated: toml++ refuses it
        if (text[i] == c) {
          const std::size_t closing = multi_line ? run_of(text, i, c) : 1;
          if (!multi_line || closing >= 3) {
            // Up to two quotes of the content may precede a multi-line delimiter.
            for (std::size_t k = 0; k < closing; ++k) step(i++);
            break;
          }
        }
        step(i++);
      }
      continue;
    }
    if (c == '#') {  // a comment runs to the end of the line
      while (i < text.size() && text[i] != '\n') step(i++);
      continue;
    }
    if (is_bare_key_char(c)) {
      if (!in_part && start_part()) return at;
      in_part = true;
    } else if (c == '.') {
      in_part = false;
      after_dot = true;
    } else if (c == ' ' || c == '\t') {
      in_part = false;
    } else {
      in_part = false;
      after_dot = false;
      parts = 0;
    }
    step(i++);
  }
  return std::nullopt;
}

}  // namespace patchrace::detail
