#include "sessions/session_source.h"

#include <algorithm>

#include "common/platform.h"
#include "common/utf8.h"

namespace smbreaper::sessions {
using smbreaper::common::path_from_utf8;
using smbreaper::common::this_platform;

bool SourceDescriptor::provides(std::string_view property) const {
    return every_property || std::find(properties.begin(), properties.end(), property) != properties.end();
}

const SourceDescriptor* find_source(std::string_view name) {
    for (const SourceDescriptor& source : all_sources()) {
        const bool is_platform_default = (source.default_on & this_platform()) != 0;
        if (source.name == name || (name == "auto" && is_platform_default)) return &source;
    }
    return nullptr;
}

std::string source_choices() {
    std::vector<std::string> choices{"auto"};
    for (const SourceDescriptor& source : all_sources()) {
        choices.push_back(std::string(source.name) +
                          (source.argument.empty() ? "" : ":" + std::string(source.argument)));
    }
    std::string text;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) text += i + 1 == choices.size() ? " or " : ", ";
        text += choices[i];
    }
    return text;
}

std::optional<SourceSettings> parse_source_choice(std::string_view text, const std::filesystem::path& folder) {
    SourceSettings choice;
    if (text == "auto") return choice;
    for (const SourceDescriptor& source : all_sources()) {
        if (source.argument.empty()) {
            if (text != source.name) continue;
            choice.name = source.name;
            return choice;
        }
        const std::string prefix = std::string(source.name) + ":";
        if (!text.starts_with(prefix) || text.size() == prefix.size()) continue;
        choice.name = source.name;
        const std::filesystem::path argument = path_from_utf8(std::string(text.substr(prefix.size())));
        choice.file = argument.is_absolute() || folder.empty() ? argument : folder / argument;
        return choice;
    }
    return std::nullopt;
}

}  // namespace smbreaper::sessions
