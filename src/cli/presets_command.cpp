// `patchrace presets [NAME]`: the presets built into the binary.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::cli {
namespace {

constexpr std::string_view kDefaultMark = " (default)";

/// One line per preset: name (the default marked), then its description.
void list_presets() {
  const std::vector<std::string> names = preset_names();
  const std::string default_name = default_preset_name();
  std::vector<std::string> labels;
  std::size_t width = 0;
  for (const std::string& name : names) {
    labels.push_back(name == default_name ? name + std::string(kDefaultMark) : name);
    width = std::max(width, labels.back().size());
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    fmt::print("{:<{}}  {}\n", labels[i], width, load_preset(names[i]).description);
  }
}

}  // namespace

int presets_command(const std::string& name) {
  if (name.empty()) {
    list_presets();
    return 0;
  }
  const std::string_view text = preset_text(name);
  fmt::print("{}{}", text, text.ends_with('\n') ? "" : "\n");
  return 0;
}

}  // namespace patchrace::cli
