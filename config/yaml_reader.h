#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/diagnostics.h"

namespace smbreaper::config {

// Typed access to a YAML tree that reports every problem, with its location, into Diagnostics
// and returns nothing for a value it could not read. `what` names the value in messages
// ("settings.poll_interval", "rule 'idle-2h': match.idle").
class YamlReader {
public:
    explicit YamlReader(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

    Diagnostics& diagnostics() { return diagnostics_; }
    static rules::SourceLocation location(const YAML::Node& node);

    bool expect_mapping(const YAML::Node& node, std::string_view what);
    bool expect_sequence(const YAML::Node& node, std::string_view what);

    // Reports keys not in `allowed` (with a "did you mean"), keys that are not plain text, and keys
    // given twice. Returns false when any key was wrong.
    bool check_keys(const YAML::Node& mapping, std::span<const std::string_view> allowed, std::string_view what);

    std::optional<std::string> text(const YAML::Node& node, std::string_view what);
    std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
    std::optional<std::uint64_t> whole_number(const YAML::Node& node, std::string_view what, std::uint64_t min,
                                              std::uint64_t max);
    std::optional<double> fraction(const YAML::Node& node, std::string_view what);
    std::optional<std::uint64_t> duration(const YAML::Node& node, std::string_view what, std::uint64_t min_seconds,
                                          std::uint64_t max_seconds);

    // The scalar's text, or items of a sequence of scalars; a single scalar counts as a list of one.
    std::optional<std::vector<std::pair<std::string, YAML::Node>>> text_list(const YAML::Node& node,
                                                                             std::string_view what);

private:
    Diagnostics& diagnostics_;
};

std::string_view node_kind_name(const YAML::Node& node);

}  // namespace smbreaper::config
