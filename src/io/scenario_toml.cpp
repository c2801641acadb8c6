// Reading scenarios from TOML (toml++). The only translation unit that includes toml++.
//
// The loader checks what only the file can get wrong (syntax, unknown keys, types,
// missing keys, values that do not fit their C++ type, time, address and prefix syntax,
// enum spellings, keys that exclude each other), reads the allocation file a scenario
// names, fills a Scenario, and then asks find_violation() for the range rules, mapping
// the key it names ("worm.exploits[2].success") back to the node's position in the file.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "io/allocation_file.hpp"
#include "io/text_file.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace {

using KeyList = std::span<const std::string_view>;

constexpr std::string_view kRootKeys[] = {"name", "description", "address_space", "population",
                                          "worm", "patching",    "cleanup",       "run"};
constexpr std::string_view kAddressSpaceKeys[] = {"prefix"};
constexpr std::string_view kPopulationKeys[] = {"hosts", "types", "placement"};
constexpr std::string_view kHostTypeKeys[] = {"name", "share"};
constexpr std::string_view kPlacementKeys[] = {"kind",
                                               "allocated",
                                               "allocation_file",
                                               "block_sizes",
                                               "hosts_per_block_alpha",
                                               "min_hosts_per_block"};
constexpr std::string_view kBlockSizeKeys[] = {"prefix_length", "share"};
constexpr std::string_view kWormKeys[] = {
    "name",        "strategy",    "scan_rate",        "exploit_success",
    "exploits",    "excluded",    "initial_infected", "seed_addresses",
    "seed_rule",   "seed_window", "local_preference", "sequential",
    "permutation", "bandwidth"};
constexpr std::string_view kExploitKeys[] = {"type", "success", "on_failure", "downtime"};
constexpr std::string_view kLocalPreferenceKeys[] = {"same_slash8", "same_slash16"};
constexpr std::string_view kSequentialKeys[] = {"local_start", "local_backoff", "batch"};
constexpr std::string_view kPermutationKeys[] = {"dormant_after"};
constexpr std::string_view kBandwidthKeys[] = {"probe_bytes", "capacity", "links"};
constexpr std::string_view kLinkKeys[] = {"share", "bits_per_second"};

/// The TOML spelling of each value of an enum setting.
template <typename Enum>
using EnumNames = std::span<const std::pair<std::string_view, Enum>>;

constexpr std::pair<std::string_view, PlacementKind> kPlacementKinds[] = {
    {"uniform", PlacementKind::kUniform}, {"clustered", PlacementKind::kClustered}};
constexpr std::pair<std::string_view, ScanStrategy> kStrategies[] = {
    {"uniform", ScanStrategy::kUniform},
    {"local-preference", ScanStrategy::kLocalPreference},
    {"sequential", ScanStrategy::kSequential},
    {"permutation", ScanStrategy::kPermutation}};
constexpr std::pair<std::string_view, FailureOutcome> kFailureOutcomes[] = {
    {"nothing", FailureOutcome::kNothing}, {"crash", FailureOutcome::kCrash}};
constexpr std::pair<std::string_view, SeedRule> kSeedRules[] = {
    {"random", SeedRule::kRandom}, {"largest-prefixes", SeedRule::kLargestPrefixes}};
constexpr std::string_view kPatchingKeys[] = {"release", "half_life", "never_fraction",
                                              "cures_infected"};
constexpr std::string_view kCleanupKeys[] = {"mean_delay"};
constexpr std::string_view kRunKeys[] = {"duration", "report_interval", "seed", "replicates"};

constexpr std::string_view kTimeForms =
    "a time: a number of seconds or a string like \"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or "
    "\"5min\" (units s, min, h, d)";

/// Longest string value quoted in full in a message; longer ones are cut.
constexpr std::size_t kMaxQuotedChars = 60;

/// A string as written in messages: double-quoted, escaped, on one line.
std::string quote_for_message(std::string_view text) {
  if (text.size() <= kMaxQuotedChars) return fmt::format("{:?}", text);
  return fmt::format("{:?}...", text.substr(0, kMaxQuotedChars));
}

/// A key as written in messages: as is, unless it holds control characters (possible
/// in quoted TOML keys), which are escaped to keep the message on one line.
std::string key_for_message(std::string_view key) {
  const bool plain = std::none_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (plain) return std::string(key);
  const std::string quoted = fmt::format("{:?}", key);
  return quoted.substr(1, quoted.size() - 2);
}

template <typename T>
std::string streamed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

/// A value's type and (for scalars) the value itself: `string "fast"`, `integer -3`.
std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string " + quote_for_message(node.as_string()->get());
    case toml::node_type::integer:
      return fmt::format("integer {}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return "float " + streamed(*node.as_floating_point());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::date:
      return "date " + streamed(*node.as_date());
    case toml::node_type::time:
      return "time " + streamed(*node.as_time());
    case toml::node_type::date_time:
      return "date-time " + streamed(*node.as_date_time());
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

/// Parses "<number>[ ]<unit>" with unit s, min, h or d into seconds.
std::optional<double> parse_time_string(std::string_view text) {
  std::size_t end = 0;
  if (end < text.size() && (text[end] == '+' || text[end] == '-')) ++end;
  const std::size_t integer_start = end;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == integer_start) return std::nullopt;
  if (end < text.size() && text[end] == '.') {
    const std::size_t fraction_start = ++end;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == fraction_start) return std::nullopt;
  }
  const std::string_view number = text.substr(text[0] == '+' ? 1 : 0, end - (text[0] == '+'));
  double value = 0;
  const auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
  if (parsed.ec != std::errc{}) return std::nullopt;

  std::string_view unit = text.substr(end);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit == "s") return value;
  if (unit == "min") return value * kMinute;
  if (unit == "h") return value * kHour;
  if (unit == "d") return value * kDay;
  return std::nullopt;
}

/// Parses "a.b.c.d/n" into an address space (the rules are checked by find_violation()).
/// A length of more than three digits is refused; 33..999 are left to the rules.
std::optional<AddressSpaceSpec> parse_prefix(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto base = parse_address(std::string(text.substr(0, slash)));
  const std::string_view length = text.substr(slash + 1);
  const bool digits_only =
      std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!base || length.empty() || length.size() > 3 || !digits_only) return std::nullopt;
  AddressSpaceSpec space;
  space.base = *base;
  std::from_chars(length.data(), length.data() + length.size(), space.prefix_length);
  return space;
}

/// One table of the file as the reader sees it: absent tables have `table == nullptr`.
struct TableView {
  const toml::table* table = nullptr;
  std::string path;  // "worm", or "" for the root

  [[nodiscard]] const toml::node* find(std::string_view key) const {
    return table == nullptr ? nullptr : table->get(key);
  }
  [[nodiscard]] std::string key_path(std::string_view key) const {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }
};

/// Reads one parsed document into a Scenario; every failure throws InvalidScenario
/// with "<source>:<line>:<col>: <message>".
class ScenarioReader {
 public:
  /// `base_dir`: the directory relative file names in the scenario (allocation_file)
  /// are resolved against; empty for the current directory.
  ScenarioReader(const toml::table& root, const std::string& source, std::filesystem::path base_dir)
      : root_(root), source_(source), base_dir_(std::move(base_dir)) {}

  [[nodiscard]] Scenario read() const {
    const TableView root{&root_, ""};
    check_known_keys(root, kRootKeys);
    Scenario scenario;
    scenario.name = read_string(require(root, "name"), "name");
    if (const auto* node = root.find("description")) {
      scenario.description = read_string(*node, "description");
    }
    read_address_space(table("address_space", false, kAddressSpaceKeys), scenario.address_space);
    read_population(table("population", true, kPopulationKeys), scenario.population);
    read_worm(table("worm", true, kWormKeys), scenario.worm);
    read_patching(table("patching", false, kPatchingKeys), scenario.patching);
    read_cleanup(table("cleanup", false, kCleanupKeys), scenario.cleanup);
    read_run(table("run", true, kRunKeys), scenario.run);
    if (auto violation = find_violation(scenario)) {
      fail(node_for_key(violation->key).source(), violation->message);
    }
    return scenario;
  }

 private:
  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    throw InvalidScenario(fmt::format("{}:{}:{}: {}", source_, std::max(where.begin.line, 1u),
                                      std::max(where.begin.column, 1u), message));
  }

  [[noreturn]] void fail_type(const toml::node& node, const std::string& key,
                              std::string_view expected) const {
    fail(node.source(), fmt::format("{} must be {}, got {}", key, expected, describe(node)));
  }

  void check_known_keys(const TableView& view, KeyList allowed) const {
    for (const auto& [key, value] : *view.table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      fail(key.source(),
           fmt::format("unknown key '{}', expected one of: {}",
                       key_for_message(view.key_path(key.str())), fmt::join(allowed, ", ")));
    }
  }

  /// The top-level table `key`, its keys checked against `allowed`.
  [[nodiscard]] TableView table(std::string_view key, bool required, KeyList allowed) const {
    const toml::node* node = root_.get(key);
    if (node == nullptr) {
      if (required) fail(root_.source(), fmt::format("missing required table '{}'", key));
      return TableView{nullptr, std::string(key)};
    }
    if (!node->is_table()) fail_type(*node, std::string(key), "a table");
    TableView view{node->as_table(), std::string(key)};
    check_known_keys(view, allowed);
    return view;
  }

  [[nodiscard]] const toml::node& require(const TableView& view, std::string_view key) const {
    if (const auto* node = view.find(key)) return *node;
    fail(view.table->source(), fmt::format("missing required key '{}'", view.key_path(key)));
  }

  /// The sub-table `key` of `parent` (absent: `table == nullptr`), its keys checked.
  [[nodiscard]] TableView subtable(const TableView& parent, std::string_view key,
                                   KeyList allowed) const {
    const std::string path = parent.key_path(key);
    const toml::node* node = parent.find(key);
    if (node == nullptr) return TableView{nullptr, path};
    if (!node->is_table()) fail_type(*node, path, "a table");
    TableView view{node->as_table(), path};
    check_known_keys(view, allowed);
    return view;
  }

  /// The elements of the array of tables `key` of `parent` ("[[worm.exploits]]"), each
  /// with its keys checked and its path indexed: "worm.exploits[2]".
  [[nodiscard]] std::vector<TableView> table_array(const TableView& parent, std::string_view key,
                                                   KeyList allowed) const {
    std::vector<TableView> views;
    const toml::node* node = parent.find(key);
    if (node == nullptr) return views;
    const std::string path = parent.key_path(key);
    const auto* array = node->as_array();
    if (array == nullptr) fail_type(*node, path, "an array of tables");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string element_path = fmt::format("{}[{}]", path, i);
      if (!element.is_table()) fail_type(element, element_path, "a table");
      views.push_back(TableView{element.as_table(), element_path});
      check_known_keys(views.back(), allowed);
    }
    return views;
  }

  /// The node a find_violation() key refers to ("worm.seed_addresses[2]"), or the
  /// nearest enclosing node present in the file.
  [[nodiscard]] const toml::node& node_for_key(std::string path) const {
    while (!path.empty()) {
      if (const toml::node* node = root_.at_path(path).node()) return *node;
      const std::size_t cut = path.find_last_of(".[");
      path.resize(cut == std::string::npos ? 0 : cut);
    }
    return root_;
  }

  std::string read_string(const toml::node& node, const std::string& key) const {
    if (const auto* value = node.as_string()) return value->get();
    fail_type(node, key, "a string");
  }

  bool read_bool(const toml::node& node, const std::string& key) const {
    if (const auto* value = node.as_boolean()) return value->get();
    fail_type(node, key, "a boolean (true or false)");
  }

  double read_number(const toml::node& node, const std::string& key) const {
    if (const auto* value = node.as_floating_point()) return value->get();
    if (const auto* value = node.as_integer()) return static_cast<double>(value->get());
    fail_type(node, key, "a number");
  }

  /// Seconds, from a number of seconds or a string such as "26d" or "8.5 s".
  double read_time(const toml::node& node, const std::string& key) const {
    if (node.is_number()) return read_number(node, key);
    if (const auto* text = node.as_string()) {
      if (auto seconds = parse_time_string(text->get())) return *seconds;
    }
    fail_type(node, key, kTimeForms);
  }

  /// A non-negative integer no larger than `max`.
  std::uint64_t read_count(const toml::node& node, const std::string& key,
                           std::uint64_t max) const {
    const auto* integer = node.as_integer();
    if (integer == nullptr) fail_type(node, key, "an integer");
    const std::int64_t value = integer->get();
    if (value < 0) {
      fail(node.source(), fmt::format("{} must be a non-negative integer, got {}", key, value));
    }
    if (static_cast<std::uint64_t>(value) > max) {
      fail(node.source(), fmt::format("{} must be at most {}, got {}", key, max, value));
    }
    return static_cast<std::uint64_t>(value);
  }

  /// One of the TOML spellings in `names`; the message lists them all.
  template <typename Enum>
  Enum read_enum(const toml::node& node, const std::string& key, EnumNames<Enum> names) const {
    if (const auto* text = node.as_string()) {
      for (const auto& [name, value] : names) {
        if (name == text->get()) return value;
      }
    }
    std::vector<std::string> quoted;
    for (const auto& [name, value] : names) quoted.push_back(fmt::format("\"{}\"", name));
    fail_type(node, key, fmt::format("one of {}", fmt::join(quoted, ", ")));
  }

  /// An array of "a.b.c.d/n" strings (the rules are checked by find_violation()).
  std::vector<Prefix> read_prefixes(const toml::node& node, const std::string& key) const {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(node, key, "an array of IPv4 prefix strings");
    std::vector<Prefix> prefixes;
    prefixes.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::optional<AddressSpaceSpec> parsed =
          element.is_string() ? parse_prefix(element.as_string()->get()) : std::nullopt;
      if (!parsed) {
        fail_type(element, fmt::format("{}[{}]", key, i), "an IPv4 prefix like \"10.0.0.0/16\"");
      }
      prefixes.push_back(Prefix{parsed->base, parsed->prefix_length});
    }
    return prefixes;
  }

  void read_address_space(const TableView& view, AddressSpaceSpec& space) const {
    const auto* node = view.find("prefix");
    if (node == nullptr) return;
    const std::string key = view.key_path("prefix");
    const std::optional<AddressSpaceSpec> parsed =
        node->is_string() ? parse_prefix(node->as_string()->get()) : std::nullopt;
    if (!parsed) fail_type(*node, key, "an IPv4 prefix like \"10.0.0.0/16\"");
    space = *parsed;
  }

  void read_population(const TableView& view, PopulationSpec& population) const {
    population.hosts = read_count(require(view, "hosts"), view.key_path("hosts"), UINT64_MAX);
    for (const TableView& element : table_array(view, "types", kHostTypeKeys)) {
      HostTypeSpec type;
      type.name = read_string(require(element, "name"), element.key_path("name"));
      if (const auto* node = element.find("share")) {
        type.share = read_number(*node, element.key_path("share"));
      }
      population.types.push_back(std::move(type));
    }
    read_placement(subtable(view, "placement", kPlacementKeys), population.placement);
  }

  void read_placement(const TableView& view, PlacementSpec& placement) const {
    if (view.table == nullptr) return;
    placement.kind =
        read_enum<PlacementKind>(require(view, "kind"), view.key_path("kind"), kPlacementKinds);
    if (const auto* node = view.find("allocated")) {
      placement.allocated = read_prefixes(*node, view.key_path("allocated"));
    }
    if (const auto* node = view.find("allocation_file")) {
      const std::string key = view.key_path("allocation_file");
      if (view.find("allocated") != nullptr) {
        fail(node->source(),
             "population.placement.allocated and population.placement.allocation_file cannot "
             "both be given: list the allocated prefixes inline or in a file");
      }
      placement.allocation_file = read_string(*node, key);
      if (placement.allocation_file.empty()) {
        fail(node->source(), fmt::format("{} must be a non-empty file path, got \"\"", key));
      }
      const std::filesystem::path file(placement.allocation_file);
      placement.allocated =
          load_allocation_file((file.is_relative() ? base_dir_ / file : file).string());
    }
    const auto sizes = table_array(view, "block_sizes", kBlockSizeKeys);
    if (view.find("block_sizes") != nullptr) placement.block_sizes.clear();
    for (const TableView& element : sizes) {
      BlockSizeSpec size;
      size.prefix_length = static_cast<int>(read_count(require(element, "prefix_length"),
                                                       element.key_path("prefix_length"), INT_MAX));
      if (const auto* node = element.find("share")) {
        size.share = read_number(*node, element.key_path("share"));
      }
      placement.block_sizes.push_back(size);
    }
    if (const auto* node = view.find("hosts_per_block_alpha")) {
      placement.hosts_per_block_alpha = read_number(*node, view.key_path("hosts_per_block_alpha"));
    }
    if (const auto* node = view.find("min_hosts_per_block")) {
      placement.min_hosts_per_block = read_number(*node, view.key_path("min_hosts_per_block"));
    }
  }

  void read_worm(const TableView& view, WormSpec& worm) const {
    if (const auto* node = view.find("name")) worm.name = read_string(*node, view.key_path("name"));
    if (const auto* node = view.find("strategy")) {
      worm.strategy = read_enum<ScanStrategy>(*node, view.key_path("strategy"), kStrategies);
    }
    worm.scan_rate = read_number(require(view, "scan_rate"), view.key_path("scan_rate"));
    if (const auto* node = view.find("exploit_success")) {
      worm.exploit_success = read_number(*node, view.key_path("exploit_success"));
    }
    for (const TableView& element : table_array(view, "exploits", kExploitKeys)) {
      worm.exploits.push_back(read_exploit(element));
    }
    if (const auto* node = view.find("excluded")) {
      worm.excluded = read_prefixes(*node, view.key_path("excluded"));
    }
    if (const auto* node = view.find("seed_rule")) {
      worm.seed_rule = read_enum<SeedRule>(*node, view.key_path("seed_rule"), kSeedRules);
    }
    if (const auto* node = view.find("seed_window")) {
      worm.seed_window = read_time(*node, view.key_path("seed_window"));
    }
    read_local_preference(subtable(view, "local_preference", kLocalPreferenceKeys),
                          worm.local_preference);
    read_sequential(subtable(view, "sequential", kSequentialKeys), worm.sequential);
    const TableView permutation = subtable(view, "permutation", kPermutationKeys);
    if (const auto* node = permutation.find("dormant_after")) {
      worm.permutation.dormant_after = static_cast<std::uint32_t>(
          read_count(*node, permutation.key_path("dormant_after"), UINT32_MAX));
    }
    read_bandwidth(subtable(view, "bandwidth", kBandwidthKeys), worm.bandwidth);
    if (const auto* node = view.find("initial_infected")) {
      worm.initial_infected = read_count(*node, view.key_path("initial_infected"), UINT64_MAX);
    }
    if (const auto* node = view.find("seed_addresses")) {
      if (view.find("initial_infected") != nullptr) {
        fail(node->source(),
             "worm.seed_addresses and worm.initial_infected cannot both be given: the seed "
             "addresses are the hosts infected at t = 0");
      }
      worm.seed_addresses = read_addresses(*node, view.key_path("seed_addresses"));
    }
  }

  ExploitSpec read_exploit(const TableView& view) const {
    ExploitSpec exploit;
    exploit.type = read_string(require(view, "type"), view.key_path("type"));
    if (const auto* node = view.find("success")) {
      exploit.success = read_number(*node, view.key_path("success"));
    }
    if (const auto* node = view.find("on_failure")) {
      exploit.on_failure =
          read_enum<FailureOutcome>(*node, view.key_path("on_failure"), kFailureOutcomes);
    }
    if (const auto* node = view.find("downtime")) {
      exploit.downtime = read_time(*node, view.key_path("downtime"));
    }
    return exploit;
  }

  void read_local_preference(const TableView& view, LocalPreferenceSpec& local) const {
    if (const auto* node = view.find("same_slash8")) {
      local.same_slash8 = read_number(*node, view.key_path("same_slash8"));
    }
    if (const auto* node = view.find("same_slash16")) {
      local.same_slash16 = read_number(*node, view.key_path("same_slash16"));
    }
  }

  void read_sequential(const TableView& view, SequentialSpec& sequential) const {
    if (const auto* node = view.find("local_start")) {
      sequential.local_start = read_number(*node, view.key_path("local_start"));
    }
    if (const auto* node = view.find("local_backoff")) {
      sequential.local_backoff =
          static_cast<std::uint32_t>(read_count(*node, view.key_path("local_backoff"), UINT32_MAX));
    }
    if (const auto* node = view.find("batch")) {
      sequential.batch =
          static_cast<std::uint32_t>(read_count(*node, view.key_path("batch"), UINT32_MAX));
    }
  }

  void read_bandwidth(const TableView& view, BandwidthSpec& bandwidth) const {
    if (view.table == nullptr) return;
    bandwidth.enabled = true;
    if (const auto* node = view.find("probe_bytes")) {
      bandwidth.probe_bytes = read_number(*node, view.key_path("probe_bytes"));
    }
    if (const auto* node = view.find("capacity")) {
      bandwidth.capacity = read_number(*node, view.key_path("capacity"));
    }
    for (const TableView& element : table_array(view, "links", kLinkKeys)) {
      LinkClassSpec link;
      if (const auto* node = element.find("share")) {
        link.share = read_number(*node, element.key_path("share"));
      }
      link.bits_per_second =
          read_number(require(element, "bits_per_second"), element.key_path("bits_per_second"));
      bandwidth.links.push_back(link);
    }
  }

  std::vector<std::uint32_t> read_addresses(const toml::node& node, const std::string& key) const {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(node, key, "an array of IPv4 address strings");
    std::vector<std::uint32_t> addresses;
    addresses.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::optional<std::uint32_t> address =
          element.is_string() ? parse_address(element.as_string()->get()) : std::nullopt;
      if (!address) {
        fail_type(element, fmt::format("{}[{}]", key, i), "an IPv4 address like \"10.0.0.1\"");
      }
      addresses.push_back(*address);
    }
    return addresses;
  }

  void read_patching(const TableView& view, PatchingSpec& patching) const {
    if (view.table == nullptr) return;
    patching.enabled = true;
    patching.release = read_time(require(view, "release"), view.key_path("release"));
    patching.half_life = read_time(require(view, "half_life"), view.key_path("half_life"));
    if (const auto* node = view.find("never_fraction")) {
      patching.never_fraction = read_number(*node, view.key_path("never_fraction"));
    }
    if (const auto* node = view.find("cures_infected")) {
      patching.cures_infected = read_bool(*node, view.key_path("cures_infected"));
    }
  }

  void read_cleanup(const TableView& view, CleanupSpec& cleanup) const {
    if (view.table == nullptr) return;
    cleanup.enabled = true;
    cleanup.mean_delay = read_time(require(view, "mean_delay"), view.key_path("mean_delay"));
  }

  void read_run(const TableView& view, RunSpec& run) const {
    run.duration = read_time(require(view, "duration"), view.key_path("duration"));
    run.report_interval =
        read_time(require(view, "report_interval"), view.key_path("report_interval"));
    if (const auto* node = view.find("seed")) {
      run.seed = read_count(*node, view.key_path("seed"), UINT64_MAX);
    }
    if (const auto* node = view.find("replicates")) {
      run.replicates =
          static_cast<std::uint32_t>(read_count(*node, view.key_path("replicates"), UINT32_MAX));
    }
  }

  const toml::table& root_;
  const std::string& source_;
  std::filesystem::path base_dir_;
};

/// toml++'s description of a syntax error, on one line, starting in lower case.
std::string syntax_error_message(std::string_view description) {
  std::string message(description);
  std::replace_if(
      message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') message[0] += 'a' - 'A';
  return "invalid TOML: " + message;
}

/// parse_scenario_toml() with relative file names resolved against `base_dir`.
Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::filesystem::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& error) {
    const toml::source_position where = error.source().begin;
    throw InvalidScenario(fmt::format("{}:{}:{}: {}", source_name, std::max(where.line, 1u),
                                      std::max(where.column, 1u),
                                      syntax_error_message(error.description())));
  }
  return ScenarioReader(root, source_name, base_dir).read();
}

}  // namespace

Scenario parse_scenario_toml(std::string_view text, const std::string& source_name) {
  return parse_scenario(text, source_name, {});
}

Scenario load_scenario_file(const std::string& path) {
  return parse_scenario(detail::read_text_file(path, "scenario file"), path,
                        std::filesystem::path(path).parent_path());
}

}  // namespace patchrace
