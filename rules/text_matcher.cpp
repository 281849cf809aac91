#include "rules/text_matcher.h"

#include <algorithm>

namespace smbreaper::rules {
namespace {

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

void TextMatcher::add_network(const IpNetwork& network, std::string_view as_written) {
    networks_.push_back({network, std::string(as_written)});
}

std::optional<bool> TextMatcher::matches_a_regex(std::string_view text) const {
    bool unknown = false;
    for (const Regex& regex : regexes_) {
        const std::optional<bool> match = regex.matches(text);
        if (!match)
            unknown = true;
        else if (*match)
            return true;
    }
    if (unknown) return std::nullopt;
    return false;
}

bool TextMatcher::matches_everything() const {
    return std::any_of(globs_.begin(), globs_.end(), [](const Glob& glob) { return glob.matches_everything(); });
}

std::vector<std::string> TextMatcher::patterns() const {
    std::vector<std::string> all;
    for (const Glob& glob : globs_) all.push_back(glob.pattern());
    for (const Network& entry : networks_) all.push_back(entry.network.to_string());
    for (const Regex& regex : regexes_) all.push_back("/" + regex.expression() + "/");
    std::sort(all.begin(), all.end());
    return all;
}

std::string TextMatcher::identity() const {
    std::vector<std::string> keys;
    for (const Glob& glob : globs_) keys.push_back("glob:" + glob.pattern());
    for (const Network& entry : networks_) keys.push_back("network:" + entry.network.to_string());
    for (const Regex& regex : regexes_) keys.push_back("regex:" + regex.expression());
    std::sort(keys.begin(), keys.end());
    std::string key;
    for (const std::string& item : keys) key += item + '\0';
    return key;
}

std::string TextMatcher::describe() const {
    if (!list_name_.empty()) return "in " + list_name_;
    const std::size_t count = globs_.size() + networks_.size() + regexes_.size();
    if (count == 1) {
        if (!regexes_.empty()) return "matches /" + regexes_.front().expression() + "/";
        if (!networks_.empty()) return "in " + networks_.front().as_written;
        const Glob& glob = globs_.front();
        return (glob.has_wildcards() ? "like " : "== ") + single_quoted(glob.pattern());
    }
    std::string text = "in (";
    bool first = true;
    const auto append = [&](const std::string& item) {
        if (!first) text += ", ";
        text += item;
        first = false;
    };
    for (const Glob& glob : globs_) append(single_quoted(glob.pattern()));
    for (const Network& entry : networks_) append(entry.as_written);
    for (const Regex& regex : regexes_) append("/" + regex.expression() + "/");
    return text + ")";
}

}  // namespace smbreaper::rules
