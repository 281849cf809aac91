#include "config/open_file_selector_loader.h"

#include <array>

namespace smbreaper::config {
using smbreaper::rules::Field;
using smbreaper::rules::field_descriptor;
using smbreaper::rules::OpenFileSelector;

namespace {

constexpr std::array<std::string_view, 3> kSelectorKeys = {"path", "open_for", "writes"};

}  // namespace

std::optional<OpenFileSelector> load_open_file_selector(const YAML::Node& node, const std::string& what,
                                                        YamlReader& reader, ConditionLoader& conditions) {
    if (!reader.expect_mapping(node, what)) return std::nullopt;
    if (!reader.check_keys(node, kSelectorKeys, what)) return std::nullopt;
    if (node.size() == 0) {
        reader.diagnostics().error(YamlReader::location(node), "empty-files",
                                   what +
                                       " says nothing, which would close every file the session holds open; name "
                                       "them with path, open_for or writes, e.g. {path: '*.pst', open_for: '> 8h'} "
                                       "(path: '*' for all of them)");
        return std::nullopt;
    }
    OpenFileSelector selector;
    bool all_good = true;
    if (const YAML::Node path = node["path"]; path) {
        selector.path = conditions.load_text_matcher(Field::OpenPaths, path, what + ".path");
        all_good = selector.path.has_value();
    }
    if (const YAML::Node open_for = node["open_for"]; open_for) {
        auto comparisons =
            conditions.load_comparisons(field_descriptor(Field::OldestOpen), open_for, what + ".open_for");
        if (comparisons) {
            selector.open_for = std::move(*comparisons);
        } else {
            all_good = false;
        }
    }
    if (const YAML::Node writes = node["writes"]; writes) {
        selector.writes = reader.boolean(writes, what + ".writes");
        all_good = all_good && selector.writes.has_value();
    }
    if (!all_good) return std::nullopt;
    return selector;
}

}  // namespace smbreaper::config
