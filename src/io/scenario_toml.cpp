// Reading scenarios from TOML (toml++, through io/toml.hpp).
//
// The loader checks what only the file can get wrong (syntax, unknown keys, types,
// missing keys, values that do not fit their C++ type, time, address and prefix syntax,
// enum spellings, keys that exclude each other), reads the allocation file a scenario
// names, fills a Scenario, and then asks find_violation() for the range rules, mapping
// the key it names ("worm.exploits[2].success") back to the node's position in the file.
#include <fmt/format.h>

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
#include "io/scenario_overrides.hpp"
#include "io/toml.hpp"
#include "patchrace/error.hpp"
#include "patchrace/limits.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace {

using KeyList = std::span<const std::string_view>;

constexpr std::string_view kRootKeys[] = {"name",     "description", "address_space", "population",
                                          "worm",     "patching",    "cleanup",       "run",
                                          "sweep"};
constexpr std::string_view kSweepKeys[] = {"key", "values"};
constexpr std::string_view kAddressSpaceKeys[] = {"prefix"};
constexpr std::string_view kPopulationKeys[] = {"hosts", "types", "placement", "groups"};
constexpr std::string_view kGroupKeys[] = {"name", "share", "count", "exposure", "criticality"};
constexpr std::string_view kExposureKeys[] = {"internet", "internal", "nat"};
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
    "seed_rule",   "seed_window", "seed_group",       "local_preference",
    "sequential",  "permutation", "bandwidth"};
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
constexpr std::string_view kPatchingKeys[] = {"release",    "half_life", "never_fraction",
                                              "cures_infected", "importance", "policies",
                                              "services",   "bad_patch"};
constexpr std::string_view kPolicyKeys[] = {"group",          "kind",      "adoption",
                                            "half_life",      "never_fraction", "fast_share",
                                            "fast_half_life", "slow_half_life", "curve",
                                            "news",           "service"};
constexpr std::string_view kNewsKeys[] = {"after", "infected", "factor"};
constexpr std::string_view kServiceKeys[] = {"name",          "capacity", "approval_delay",
                                             "working_hours", "weekdays_only", "priority",
                                             "min_score",     "rings"};
constexpr std::string_view kPriorityKeys[] = {"importance", "exposure", "criticality"};
constexpr std::string_view kRingKeys[] = {"name", "share", "qa_delay"};
constexpr std::string_view kBadPatchKeys[] = {"probability", "half_life", "outage", "fix_release",
                                              "repatch_mean"};
constexpr std::string_view kCleanupKeys[] = {"mean_delay", "groups"};
constexpr std::string_view kRunKeys[] = {"duration", "report_interval", "seed", "replicates",
                                         "clock"};
constexpr std::pair<std::string_view, PolicyKind> kPolicyKinds[] = {
    {"self", PolicyKind::kSelf}, {"central", PolicyKind::kCentral}, {"none", PolicyKind::kNone}};
constexpr std::pair<std::string_view, AdoptionKind> kAdoptionKinds[] = {
    {"exponential", AdoptionKind::kExponential},
    {"two-population", AdoptionKind::kTwoPopulation},
    {"empirical", AdoptionKind::kEmpirical}};
constexpr std::pair<std::string_view, PriorityRule> kPriorityRules[] = {
    {"score", PriorityRule::kScore},
    {"exposure-first", PriorityRule::kExposureFirst},
    {"criticality-first", PriorityRule::kCriticalityFirst},
    {"random", PriorityRule::kRandom}};
/// The keys of a self-patching policy each adoption curve uses.
constexpr std::string_view kExponentialKeys[] = {"half_life", "never_fraction"};
constexpr std::string_view kTwoPopulationKeys[] = {"fast_share", "fast_half_life", "slow_half_life"};
constexpr std::string_view kEmpiricalKeys[] = {"curve"};
constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

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

/// Parses "HH:MM" (00:00 to 24:00) into seconds after midnight.
std::optional<double> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int hours = h1 * 10 + h2, minutes = m1 * 10 + m2;
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return hours * kHour + minutes * kMinute;
}

/// Parses "Mon 16:00" (a weekday and a time of day) into seconds since Monday 00:00.
std::optional<double> parse_time_of_week(std::string_view text) {
  if (text.size() != 9 || text[3] != ' ') return std::nullopt;
  for (std::size_t day = 0; day < std::size(kWeekdays); ++day) {
    if (text.substr(0, 3) != kWeekdays[day]) continue;
    const std::optional<double> clock = parse_clock(text.substr(4));
    if (!clock || *clock >= kDay) return std::nullopt;
    return static_cast<double>(day) * kDay + *clock;
  }
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
    check_sweep(table("sweep", false, kSweepKeys));
    if (auto violation = find_violation(scenario)) {
      fail(node_for_key(violation->key).source(), violation->message);
    }
    return scenario;
  }

 private:
  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    if (detail::is_override_source(where)) throw InvalidScenario(fmt::format("{}: {}", *where.path, message));
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
    for (const TableView& element : table_array(view, "groups", kGroupKeys)) {
      population.groups.push_back(read_group(element));
    }
  }

  ManagementGroupSpec read_group(const TableView& view) const {
    ManagementGroupSpec group;
    group.name = read_string(require(view, "name"), view.key_path("name"));
    const toml::node* share = view.find("share");
    const toml::node* count = view.find("count");
    if ((share == nullptr) == (count == nullptr)) {
      fail(view.table->source(),
           fmt::format("{} must give exactly one of 'share' and 'count', got {}", view.path,
                       share == nullptr ? "neither" : "both"));
    }
    if (share != nullptr) group.share = read_number(*share, view.key_path("share"));
    if (count != nullptr) group.count = read_count(*count, view.key_path("count"), UINT64_MAX);
    const TableView exposure = subtable(view, "exposure", kExposureKeys);
    if (exposure.table != nullptr) {
      group.exposure.assign(kExposureCount, 0.0);
      for (int e = 0; e < kExposureCount; ++e) {
        if (const auto* node = exposure.find(kExposureKeys[e])) {
          group.exposure[e] = read_number(*node, exposure.key_path(kExposureKeys[e]));
        }
      }
    }
    if (const auto* node = view.find("criticality")) {
      group.criticality = read_number(*node, view.key_path("criticality"));
    }
    return group;
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
    if (const auto* node = view.find("seed_group")) {
      worm.seed_group = read_string(*node, view.key_path("seed_group"));
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
    if (const auto* node = view.find("cures_infected")) {
      patching.cures_infected = read_bool(*node, view.key_path("cures_infected"));
    }
    if (const auto* node = view.find("importance")) {
      patching.importance = read_number(*node, view.key_path("importance"));
    }
    for (const TableView& element : table_array(view, "services", kServiceKeys)) {
      patching.services.push_back(read_service(element));
    }
    for (const TableView& element : table_array(view, "policies", kPolicyKeys)) {
      patching.policies.push_back(read_policy(element));
    }
    if (patching.policies.empty()) {
      patching.half_life = read_time(require(view, "half_life"), view.key_path("half_life"));
      if (const auto* node = view.find("never_fraction")) {
        patching.never_fraction = read_number(*node, view.key_path("never_fraction"));
      }
    } else {
      for (std::string_view key : {"half_life", "never_fraction"}) {
        if (const auto* node = view.find(key)) {
          fail(node->source(),
               fmt::format("patching.{} cannot be given with patching.policies: give each "
                           "self-patching policy its own adoption curve",
                           key));
        }
      }
    }
    read_bad_patch(subtable(view, "bad_patch", kBadPatchKeys), patching.bad_patch);
  }

  PatchPolicySpec read_policy(const TableView& view) const {
    PatchPolicySpec policy;
    policy.group = read_string(require(view, "group"), view.key_path("group"));
    policy.kind = read_enum<PolicyKind>(require(view, "kind"), view.key_path("kind"), kPolicyKinds);
    // Keys that belong to another kind of policy or another curve are refused, so
    // that a setting that would be ignored never goes unnoticed.
    std::vector<std::string_view> allowed = {"group", "kind"};
    if (policy.kind == PolicyKind::kSelf) {
      AdoptionSpec& a = policy.adoption;
      a.kind = read_enum<AdoptionKind>(require(view, "adoption"), view.key_path("adoption"),
                                       kAdoptionKinds);
      allowed.insert(allowed.end(), {"adoption", "news"});
      switch (a.kind) {
        case AdoptionKind::kExponential:
          allowed.insert(allowed.end(), std::begin(kExponentialKeys), std::end(kExponentialKeys));
          a.half_life = read_time(require(view, "half_life"), view.key_path("half_life"));
          if (const auto* node = view.find("never_fraction")) {
            a.never_fraction = read_number(*node, view.key_path("never_fraction"));
          }
          break;
        case AdoptionKind::kTwoPopulation:
          allowed.insert(allowed.end(), std::begin(kTwoPopulationKeys), std::end(kTwoPopulationKeys));
          a.fast_share = read_number(require(view, "fast_share"), view.key_path("fast_share"));
          a.fast_half_life = read_time(require(view, "fast_half_life"), view.key_path("fast_half_life"));
          if (const auto* node = view.find("slow_half_life")) {
            a.slow_half_life = read_time(*node, view.key_path("slow_half_life"));
          }
          break;
        case AdoptionKind::kEmpirical:
          allowed.insert(allowed.end(), std::begin(kEmpiricalKeys), std::end(kEmpiricalKeys));
          a.curve = read_curve(require(view, "curve"), view.key_path("curve"));
          break;
      }
      read_news(subtable(view, "news", kNewsKeys), policy.news);
    } else if (policy.kind == PolicyKind::kCentral) {
      allowed.push_back("service");
      policy.service = read_string(require(view, "service"), view.key_path("service"));
    }
    for (const auto& [key, value] : *view.table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      fail(key.source(), fmt::format("{} is not used by a policy of kind {}{}; expected only: {}",
                                     key_for_message(view.key_path(key.str())),
                                     quote_for_message(view.find("kind")->as_string()->get()),
                                     policy.kind == PolicyKind::kSelf
                                         ? fmt::format(" with adoption {}",
                                                       quote_for_message(view.find("adoption")->as_string()->get()))
                                         : std::string(),
                                     fmt::join(allowed, ", ")));
    }
    return policy;
  }

  /// An empirical curve: an array of [time, fraction still vulnerable] pairs.
  std::vector<CurvePoint> read_curve(const toml::node& node, const std::string& key) const {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(node, key, "an array of [time, fraction still vulnerable] pairs");
    std::vector<CurvePoint> curve;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string element_key = fmt::format("{}[{}]", key, i);
      const auto* pair = element.as_array();
      if (pair == nullptr || pair->size() != 2) {
        fail_type(element, element_key, "a [time, fraction still vulnerable] pair like [\"30d\", 0.5]");
      }
      curve.push_back(CurvePoint{read_time(*pair->get(0), element_key + "[0]"),
                                 read_number(*pair->get(1), element_key + "[1]")});
    }
    return curve;
  }

  void read_news(const TableView& view, NewsSpec& news) const {
    if (view.table == nullptr) return;
    news.enabled = true;
    if (const auto* node = view.find("after")) news.after = read_time(*node, view.key_path("after"));
    if (const auto* node = view.find("infected")) {
      news.infected = read_count(*node, view.key_path("infected"), UINT64_MAX);
    }
    news.factor = read_number(require(view, "factor"), view.key_path("factor"));
  }

  PatchServiceSpec read_service(const TableView& view) const {
    PatchServiceSpec service;
    service.name = read_string(require(view, "name"), view.key_path("name"));
    service.capacity = read_number(require(view, "capacity"), view.key_path("capacity"));
    if (const auto* node = view.find("approval_delay")) {
      service.approval_delay = read_time(*node, view.key_path("approval_delay"));
    }
    if (const auto* node = view.find("working_hours")) {
      const std::string key = view.key_path("working_hours");
      const auto* pair = node->as_array();
      std::optional<double> start, end;
      if (pair != nullptr && pair->size() == 2 && pair->get(0)->is_string() && pair->get(1)->is_string()) {
        start = parse_clock(pair->get(0)->as_string()->get());
        end = parse_clock(pair->get(1)->as_string()->get());
      }
      if (!start || !end) fail_type(*node, key, "a pair of times of day like [\"09:00\", \"17:00\"]");
      service.working_hours.enabled = true;
      service.working_hours.start = *start;
      service.working_hours.end = *end;
    }
    if (const auto* node = view.find("weekdays_only")) {
      if (!service.working_hours.enabled) {
        fail(node->source(), fmt::format("{} needs {}", view.key_path("weekdays_only"),
                                         view.key_path("working_hours")));
      }
      service.working_hours.weekdays_only = read_bool(*node, view.key_path("weekdays_only"));
    }
    if (const auto* node = view.find("priority")) {
      const std::string key = view.key_path("priority");
      if (node->is_table()) {
        const TableView weights = subtable(view, "priority", kPriorityKeys);
        service.priority.rule = PriorityRule::kScore;
        double* fields[] = {&service.priority.importance_weight, &service.priority.exposure_weight,
                            &service.priority.criticality_weight};
        for (std::size_t i = 0; i < std::size(kPriorityKeys); ++i) {
          if (const auto* w = weights.find(kPriorityKeys[i])) {
            *fields[i] = read_number(*w, weights.key_path(kPriorityKeys[i]));
          }
        }
      } else if (node->is_string()) {
        service.priority.rule = read_enum<PriorityRule>(*node, key, kPriorityRules);
      } else {
        fail_type(*node, key,
                  "a rule (\"score\", \"exposure-first\", \"criticality-first\", \"random\") or "
                  "a table of score weights {importance, exposure, criticality}");
      }
    }
    if (const auto* node = view.find("min_score")) {
      service.min_score = read_number(*node, view.key_path("min_score"));
    }
    for (const TableView& element : table_array(view, "rings", kRingKeys)) {
      RingSpec ring;
      ring.name = read_string(require(element, "name"), element.key_path("name"));
      ring.share = read_number(require(element, "share"), element.key_path("share"));
      if (const auto* node = element.find("qa_delay")) {
        ring.qa_delay = read_time(*node, element.key_path("qa_delay"));
      }
      service.rings.push_back(std::move(ring));
    }
    return service;
  }

  void read_bad_patch(const TableView& view, BadPatchSpec& bad) const {
    if (view.table == nullptr) return;
    bad.enabled = true;
    bad.probability = read_number(require(view, "probability"), view.key_path("probability"));
    if (const auto* node = view.find("half_life")) bad.half_life = read_time(*node, view.key_path("half_life"));
    if (const auto* node = view.find("outage")) bad.outage = read_time(*node, view.key_path("outage"));
    if (const auto* node = view.find("fix_release")) {
      bad.fix_release = read_time(*node, view.key_path("fix_release"));
    }
    if (const auto* node = view.find("repatch_mean")) {
      bad.repatch_mean = read_time(*node, view.key_path("repatch_mean"));
    }
  }

  void read_cleanup(const TableView& view, CleanupSpec& cleanup) const {
    if (view.table == nullptr) return;
    cleanup.enabled = true;
    cleanup.mean_delay = read_time(require(view, "mean_delay"), view.key_path("mean_delay"));
    if (const auto* node = view.find("groups")) {
      const std::string key = view.key_path("groups");
      const auto* groups = node->as_table();
      if (groups == nullptr) fail_type(*node, key, "a table of group name = mean delay");
      for (const auto& [name, value] : *groups) {
        cleanup.group_mean_delay.emplace_back(
            std::string(name.str()), read_time(value, fmt::format("{}.{}", key, key_for_message(name.str()))));
      }
    }
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
    if (const auto* node = view.find("clock")) {
      const std::optional<double> clock =
          node->is_string() ? parse_time_of_week(node->as_string()->get()) : std::nullopt;
      if (!clock) fail_type(*node, view.key_path("clock"), "a weekday and time like \"Mon 16:00\"");
      run.clock = *clock;
    }
  }

  /// The [sweep] table's form (its values are checked when the sweep is expanded).
  void check_sweep(const TableView& view) const {
    if (view.table == nullptr) return;
    const std::string key = read_string(require(view, "key"), view.key_path("key"));
    if (key.empty()) fail(view.find("key")->source(), "sweep.key must name a scenario key, got \"\"");
    const toml::node& values = require(view, "values");
    const auto* array = values.as_array();
    if (array == nullptr || array->empty()) {
      fail_type(values, view.key_path("values"), "a non-empty array of values for sweep.key");
    }
    if (array->size() > kMaxSweepValues) {
      // Each value is checked on its own copy of the document: the cost grows with both.
      fail(values.source(), fmt::format("sweep.values must have at most {} values, got {}",
                                        kMaxSweepValues, array->size()));
    }
  }

  const toml::table& root_;
  const std::string& source_;
  std::filesystem::path base_dir_;
};

/// Throws the located error "<source>:<line>:<col>: <message>" at `node`.
[[noreturn]] void fail_at(const std::string& source, const toml::node& node, const std::string& message) {
  if (detail::is_override_source(node.source())) {
    throw InvalidScenario(fmt::format("{}: {}", *node.source().path, message));
  }
  const toml::source_position where = node.source().begin;
  throw InvalidScenario(fmt::format("{}:{}:{}: {}", source, std::max(where.line, 1u),
                                    std::max(where.column, 1u), message));
}

/// A swept value as a label: strings without quotes, numbers and booleans as written.
std::string value_label(const toml::node& node) {
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return fmt::format("{}", integer->get());
  if (const auto* number = node.as_floating_point()) return fmt::format("{}", number->get());
  if (const auto* flag = node.as_boolean()) return flag->get() ? "true" : "false";
  return describe(node);  // a date, time, array or table: the scenario reader will refuse it
}

/// The document of `text` with `overrides` applied.
toml::table parse_document(std::string_view text, const std::string& source_name,
                           const ScenarioOverrides& overrides) {
  toml::table root = detail::parse_toml(text, source_name);
  detail::apply_overrides(root, overrides);
  return root;
}

/// parse_scenario_toml() with relative file names resolved against `base_dir`.
Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::filesystem::path& base_dir, const ScenarioOverrides& overrides) {
  const toml::table root = parse_document(text, source_name, overrides);
  return ScenarioReader(root, source_name, base_dir).read();
}

/// Replaces the node at `path` ("a.b[2].c") of `root` by `value`, moved so that it
/// keeps its position in the file for messages; false if the document has no node there.
template <typename Node>
bool replace_at_path(toml::table& root, const std::string& path, Node&& value) {
  const std::size_t cut = path.find_last_of(".[");
  const std::string parent_path = cut == std::string::npos ? std::string() : path.substr(0, cut);
  toml::node* parent = parent_path.empty() ? static_cast<toml::node*>(&root)
                                           : root.at_path(parent_path).node();
  if (parent == nullptr) return false;
  if (cut != std::string::npos && path[cut] == '[') {
    auto* array = parent->as_array();
    if (array == nullptr || path.back() != ']') return false;
    std::size_t index = 0;
    const char* first = path.data() + cut + 1;
    const char* last = path.data() + path.size() - 1;
    const auto parsed = std::from_chars(first, last, index);
    if (parsed.ec != std::errc{} || parsed.ptr != last || index >= array->size()) return false;
    array->replace(array->begin() + static_cast<std::ptrdiff_t>(index), std::forward<Node>(value));
    return true;
  }
  auto* table = parent->as_table();
  const std::string key = cut == std::string::npos ? path : path.substr(cut + 1);
  if (table == nullptr || table->get(key) == nullptr) return false;
  table->insert_or_assign(key, std::forward<Node>(value));
  return true;
}

/// The scenarios of the document's [sweep]: `sweep.key` set to each value in turn.
/// With `required` false, a document without [sweep] gives its scenario and no values.
ScenarioSweep parse_sweep(std::string_view text, const std::string& source_name,
                          const std::filesystem::path& base_dir, const ScenarioOverrides& overrides,
                          bool required = true) {
  const toml::table root = parse_document(text, source_name, overrides);
  ScenarioSweep sweep;
  sweep.base = ScenarioReader(root, source_name, base_dir).read();  // checks [sweep]'s form too
  const toml::node* table = root.get("sweep");
  if (table == nullptr && !required) return sweep;
  if (table == nullptr) {
    throw InvalidScenario(fmt::format(
        "{}: has no [sweep] table; a sweep needs one with 'key' (a scenario key such as "
        "\"patching.bad_patch.probability\") and 'values' (an array)",
        source_name));
  }
  const toml::node& key_node = *table->as_table()->get("key");
  sweep.key = key_node.as_string()->get();
  if (sweep.key.rfind("sweep", 0) == 0 || sweep.key == "name" || sweep.key == "description") {
    fail_at(source_name, key_node,
            fmt::format("sweep.key must name a setting of the simulation, got {}",
                        quote_for_message(sweep.key)));
  }
  const toml::array& values = *table->as_table()->get("values")->as_array();
  for (std::size_t i = 0; i < values.size(); ++i) {
    // A fresh parse per value: copies of toml++ nodes lose their positions, moves keep them.
    toml::table copy = parse_document(text, source_name, overrides);
    toml::node& value = *copy.get("sweep")->as_table()->get("values")->as_array()->get(i);
    const bool replaced = value.visit([&](auto& node) {
      using Concrete = std::remove_cvref_t<decltype(node)>;
      Concrete moved = std::move(node);
      return replace_at_path(copy, sweep.key, std::move(moved));
    });
    if (!replaced) {
      fail_at(source_name, key_node,
              fmt::format("sweep.key must name a key the scenario sets (write its base value "
                          "in the scenario), got {}",
                          quote_for_message(sweep.key)));
    }
    const std::string label = value_label(*values.get(i));
    try {
      sweep.scenarios.push_back(ScenarioReader(copy, source_name, base_dir).read());
    } catch (const InvalidScenario& error) {
      // Name the value: the message located at the key may not show it.
      throw InvalidScenario(fmt::format("{} (with {} = {}, sweep.values[{}])", error.what(),
                                        sweep.key, label, i));
    }
    sweep.labels.push_back(label);
  }
  return sweep;
}

}  // namespace

Scenario parse_scenario_toml(std::string_view text, const std::string& source_name,
                             const ScenarioOverrides& overrides) {
  return parse_scenario(text, source_name, {}, overrides);
}

Scenario load_scenario_file(const std::string& path, const ScenarioOverrides& overrides) {
  return parse_scenario(detail::read_text_file(path, "scenario file", kMaxScenarioFileBytes), path,
                        std::filesystem::path(path).parent_path(), overrides);
}

ScenarioSweep parse_sweep_toml(std::string_view text, const std::string& source_name,
                               const ScenarioOverrides& overrides) {
  return parse_sweep(text, source_name, {}, overrides);
}

ScenarioSweep load_sweep_file(const std::string& path, const ScenarioOverrides& overrides) {
  return parse_sweep(detail::read_text_file(path, "scenario file", kMaxScenarioFileBytes), path,
                     std::filesystem::path(path).parent_path(), overrides);
}

ScenarioSweep parse_scenario_and_sweep_toml(std::string_view text, const std::string& source_name,
                                            const ScenarioOverrides& overrides) {
  return parse_sweep(text, source_name, {}, overrides, false);
}

ScenarioSweep load_scenario_and_sweep(const std::string& path, const ScenarioOverrides& overrides) {
  return parse_sweep(detail::read_text_file(path, "scenario file", kMaxScenarioFileBytes), path,
                     std::filesystem::path(path).parent_path(), overrides, false);
}

}  // namespace patchrace
