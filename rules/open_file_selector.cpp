#include "rules/open_file_selector.h"

namespace smbreaper::rules {
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;

namespace {

Truth truth_of(std::optional<bool> value) {
    if (!value) return Truth::Unknown;
    return *value ? Truth::True : Truth::False;
}

// All of the tests: false as soon as one is false, else unknown if one is.
Truth both(Truth a, Truth b) {
    if (a == Truth::False || b == Truth::False) return Truth::False;
    if (a == Truth::Unknown || b == Truth::Unknown) return Truth::Unknown;
    return Truth::True;
}

std::optional<std::uint64_t> seconds_open(const OpenFileRecord& open, std::chrono::system_clock::time_point now) {
    const auto since = sessions::open_since(open);
    if (!since) return std::nullopt;
    if (*since >= now) return 0;
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now - *since).count());
}

}  // namespace

Truth OpenFileSelector::selects(const OpenFileRecord& open, std::chrono::system_clock::time_point now) const {
    Truth result = Truth::True;
    if (path) {
        const std::optional<std::string>& text = open.share_relative_path ? open.share_relative_path : open.path;
        result = both(result, text ? truth_of(path->matches(*text, std::nullopt)) : Truth::Unknown);
    }
    if (!open_for.empty()) {
        const std::optional<std::uint64_t> seconds = seconds_open(open, now);
        Truth any = Truth::Unknown;
        if (seconds) {
            any = Truth::False;
            for (const Comparison& comparison : open_for) {
                if (comparison.holds(*seconds)) any = Truth::True;
            }
        }
        result = both(result, any);
    }
    if (writes) {
        const std::optional<bool> actual = sessions::writes(open);
        result = both(result, actual ? truth_of(*actual == *writes) : Truth::Unknown);
    }
    return result;
}

std::string OpenFileSelector::describe() const {
    std::string text;
    const auto add = [&text](const std::string& part) { text += (text.empty() ? "" : " and ") + part; };
    if (path) add("path " + path->describe());
    if (!open_for.empty()) {
        std::string alternatives;
        for (const Comparison& comparison : open_for) {
            if (!alternatives.empty()) alternatives += " or ";
            // In seconds, as `check --explain` writes every duration.
            alternatives +=
                "open_for " + to_string(comparison, [](std::uint64_t s) { return std::to_string(s) + "s"; });
        }
        add(open_for.size() > 1 ? "(" + alternatives + ")" : alternatives);
    }
    if (writes) add(std::string("writes == ") + (*writes ? "true" : "false"));
    return text.empty() ? "every open file" : text;
}

std::vector<const OpenFileRecord*> select_opens(const OpenFileSelector& selector, const SessionRecord& session,
                                                const std::vector<OpenFileRecord>& opens,
                                                std::chrono::system_clock::time_point now) {
    std::vector<const OpenFileRecord*> selected;
    for (const OpenFileRecord& open : opens) {
        if (open.session_id != session.session_id) continue;
        if (selector.selects(open, now) == Truth::True) selected.push_back(&open);
    }
    return selected;
}

}  // namespace smbreaper::rules
