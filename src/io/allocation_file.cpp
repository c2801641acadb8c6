#include "io/allocation_file.hpp"
#include "io/text_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "patchrace/error.hpp"
#include "patchrace/limits.hpp"

namespace patchrace {

namespace {

constexpr std::string_view kWhitespace = " \t\r\f\v";

std::string_view trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

/// `text` for a one-line message: control and non-ASCII bytes as \xNN, cut after 60
/// characters.
std::string printable(std::string_view text) {
  constexpr std::size_t kMaxShown = 60;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxShown) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// The prefix length of "n": one or two decimal digits, no leading zero, 0..32.
std::optional<int> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  if (text.size() == 2 && text.front() == '0') return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > 32) return std::nullopt;
  return value;
}

std::string format_cidr(std::uint32_t base, int length) { return fmt::format("{}/{}", format_address(base), length); }

Prefix parse_line(std::string_view token, const std::string& source, std::size_t line) {
  const std::size_t slash = token.find('/');
  std::optional<std::uint32_t> address;
  std::optional<int> length;
  if (slash != std::string_view::npos) {
    address = parse_address(std::string(token.substr(0, slash)));
    length = parse_length(token.substr(slash + 1));
  }
  if (!address || !length) {
    throw InvalidScenario(
        fmt::format("{}:{}: malformed CIDR '{}', expected a.b.c.d/n with n in 0..32", source, line, printable(token)));
  }
  const std::uint32_t mask = *length == 0 ? 0 : ~std::uint32_t{0} << (32 - *length);
  if ((*address & ~mask) != 0) {
    throw InvalidScenario(fmt::format("{}:{}: {} has host bits set, expected {}", source, line,
                                      format_cidr(*address, *length), format_cidr(*address & mask, *length)));
  }
  return Prefix{*address, *length};
}

}  // namespace

std::vector<Prefix> parse_allocation_list(std::string_view text, const std::string& source) {
  std::vector<Prefix> prefixes;
  std::size_t line = 0;
  while (!text.empty() || line == 0) {
    ++line;
    const std::size_t newline = text.find('\n');
    std::string_view content = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    content = trim(content.substr(0, content.find('#')));
    if (!content.empty()) prefixes.push_back(parse_line(content, source, line));
  }
  if (prefixes.empty()) {
    throw InvalidScenario(fmt::format("{}: no prefixes, expected at least one CIDR a.b.c.d/n", source));
  }
  // Merge: with prefixes sorted by address and then by length, a prefix that lies
  // inside another comes after it (aligned prefixes either nest or are disjoint).
  std::sort(prefixes.begin(), prefixes.end(),
            [](const Prefix& a, const Prefix& b) { return a.base != b.base ? a.base < b.base : a.length < b.length; });
  std::vector<Prefix> merged;
  for (const Prefix& p : prefixes) {
    if (!merged.empty() && merged.back().length <= p.length && merged.back().contains(p.base)) continue;
    merged.push_back(p);
  }
  return merged;
}

std::vector<Prefix> load_allocation_file(const std::string& path) {
  return parse_allocation_list(detail::read_text_file(path, "allocation file", kMaxAllocationFileBytes), path);
}

}  // namespace patchrace
