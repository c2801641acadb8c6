#include "io/scenario_overrides.hpp"

#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "patchrace/error.hpp"

namespace patchrace {

ScenarioOverride parse_override(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw UsageError(fmt::format("--set needs KEY=VALUE (a scenario key such as worm.scan_rate), got '{}'", text));
  }
  return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

namespace detail {
namespace {

constexpr std::string_view kOverridePrefix = "--set ";

/// One step of a key path: a table key or an array index.
using Step = std::variant<std::string, std::size_t>;

bool is_key_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// "a.b[2].c" as steps; empty when `key` is not of that form.
std::vector<Step> key_steps(std::string_view key) {
  std::vector<Step> steps;
  std::size_t i = 0;
  while (i < key.size()) {
    const std::size_t start = i;
    while (i < key.size() && is_key_character(key[i])) ++i;
    if (i == start) return {};
    steps.emplace_back(std::string(key.substr(start, i - start)));
    while (i < key.size() && key[i] == '[') {
      const std::size_t digits = ++i;
      while (i < key.size() && key[i] >= '0' && key[i] <= '9') ++i;
      std::size_t index = 0;
      if (i == digits || i >= key.size() || key[i] != ']' ||
          std::from_chars(key.data() + digits, key.data() + i, index).ec != std::errc{}) {
        return {};
      }
      steps.emplace_back(index);
      ++i;
    }
    if (i == key.size()) break;
    if (key[i] != '.' || i + 1 == key.size()) return {};
    ++i;
  }
  return steps;
}

/// `text` on one line: control characters as \n, \t or \xNN.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

/// `text` as a TOML basic string literal.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out + '"';
}

/// The override's value, parsed from its own text so that it carries the override as
/// its source: TOML if it is a TOML value, else the text as a string.
toml::table parse_value(const ScenarioOverride& o, const std::string& source) {
  try {
    toml::table parsed = parse_toml("v = " + o.value, source);
    if (parsed.size() == 1) return parsed;  // not "3\n[run]…": one value, nothing more
  } catch (const InvalidScenario&) {
  }
  return parse_toml("v = " + toml_string(o.value), source);
}

/// A key named `name` whose source is `where` (messages about it name the override).
toml::key source_key(const std::string& name, const toml::source_region& where) { return toml::key(name, where); }

}  // namespace

bool is_override_source(const toml::source_region& where) {
  return where.path && where.path->rfind(kOverridePrefix, 0) == 0;
}

void apply_overrides(toml::table& root, const ScenarioOverrides& overrides) {
  for (const ScenarioOverride& o : overrides) {
    const std::string source = fmt::format("{}{}={}", kOverridePrefix, printable(o.key), printable(o.value));
    const std::vector<Step> steps = key_steps(o.key);
    if (steps.empty() || !std::holds_alternative<std::string>(steps.front())) {
      throw InvalidScenario(fmt::format(
          "{}: the key must be a scenario key such as worm.scan_rate or patching.services[0].capacity", source));
    }
    toml::table parsed = parse_value(o, source);
    toml::source_region where;
    where.path = std::make_shared<const std::string>(source);
    toml::node* at = &root;
    std::string path;  // the steps taken so far, for messages
    for (std::size_t k = 0; k + 1 < steps.size(); ++k) {
      if (const auto* name = std::get_if<std::string>(&steps[k])) {
        path += (path.empty() ? "" : ".") + *name;
        toml::table* table = at->as_table();
        if (table == nullptr) {
          throw InvalidScenario(fmt::format("{}: {} is not a table", source, path));
        }
        toml::node* child = table->get(*name);
        if (child == nullptr) {
          child = &table->insert_or_assign(source_key(*name, where), toml::table{}).first->second;
        }
        at = child;
      } else {
        const std::size_t index = std::get<std::size_t>(steps[k]);
        path += fmt::format("[{}]", index);
        toml::array* array = at->as_array();
        if (array == nullptr || index >= array->size()) {
          throw InvalidScenario(fmt::format("{}: the scenario has no {}", source, path));
        }
        at = array->get(index);
      }
    }
    toml::node& value = *parsed.get("v");
    value.visit([&](auto& node) {
      using Concrete = std::remove_cvref_t<decltype(node)>;
      Concrete moved = std::move(node);  // a move keeps the node's source region
      if (const auto* name = std::get_if<std::string>(&steps.back())) {
        toml::table* table = at->as_table();
        if (table == nullptr) throw InvalidScenario(fmt::format("{}: {} is not a table", source, path));
        table->insert_or_assign(source_key(*name, where), std::move(moved));
      } else {
        const std::size_t index = std::get<std::size_t>(steps.back());
        toml::array* array = at->as_array();
        if (array == nullptr || index >= array->size()) {
          throw InvalidScenario(fmt::format("{}: the scenario has no {}[{}]", source, path, index));
        }
        array->replace(array->begin() + static_cast<std::ptrdiff_t>(index), std::move(moved));
      }
    });
  }
}

}  // namespace detail
}  // namespace patchrace
