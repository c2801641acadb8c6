#include "io/text_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "patchrace/error.hpp"

namespace patchrace::detail {

std::string read_text_file(const std::string& path, std::string_view what) {
  const auto cannot_read = [&](const std::string& reason) {
    return InvalidScenario(fmt::format("cannot read {} '{}': {}", what, path, reason));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw cannot_read("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannot_read(std::generic_category().message(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannot_read(std::generic_category().message(errno));
  return text.str();
}

}  // namespace patchrace::detail
