#include "rules/text_matcher.h"

#include <algorithm>

#include "rules/regex_prefilter.h"

namespace smbreaper {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

void TextMatcher::add_network(const IpNetwork& network, std::string_view as_written) {
    networks_.push_back({network, std::string(as_written)});
}

void TextMatcher::add_regex(std::string_view expression) {
    AsciiRegex compiled(std::string(expression), AsciiRegex::ECMAScript | AsciiRegex::icase | AsciiRegex::optimize);
    regexes_.push_back({std::string(expression), std::move(compiled), required_literals(expression)});
}

std::optional<bool> TextMatcher::matches_a_regex(std::string_view text) const {
    bool untried = false;
    for (const Regex& regex : regexes_) {
        // A text without a literal every match needs is certainly no match, however long it is.
        if (!contains_all_ignoring_case(text, regex.required_literals)) continue;
        if (text.size() > max_regex_subject) {
            untried = true;
            continue;
        }
        if (std::regex_match(text.begin(), text.end(), regex.compiled)) return true;
    }
    if (untried) return std::nullopt;
    return false;
}

bool TextMatcher::matches_everything() const {
    return std::any_of(globs_.begin(), globs_.end(), [](const Glob& glob) { return glob.matches_everything(); });
}

std::vector<std::string> TextMatcher::patterns() const {
    std::vector<std::string> all;
    for (const Glob& glob : globs_) all.push_back(glob.pattern());
    for (const Network& entry : networks_) all.push_back(entry.network.to_string());
    for (const Regex& regex : regexes_) all.push_back("/" + regex.expression + "/");
    std::sort(all.begin(), all.end());
    return all;
}

std::string TextMatcher::identity() const {
    std::vector<std::string> keys;
    for (const Glob& glob : globs_) keys.push_back("glob:" + glob.pattern());
    for (const Network& entry : networks_) keys.push_back("network:" + entry.network.to_string());
    for (const Regex& regex : regexes_) keys.push_back("regex:" + regex.expression);
    std::sort(keys.begin(), keys.end());
    std::string key;
    for (const std::string& item : keys) key += item + '\0';
    return key;
}

std::string TextMatcher::describe() const {
    if (!list_name_.empty()) return "in " + list_name_;
    const std::size_t count = globs_.size() + networks_.size() + regexes_.size();
    if (count == 1) {
        if (!regexes_.empty()) return "matches /" + regexes_.front().expression + "/";
        if (!networks_.empty()) return "in " + networks_.front().as_written;
        const Glob& glob = globs_.front();
        return (glob.has_wildcards() ? "like " : "== ") + quoted(glob.pattern());
    }
    std::string text = "in (";
    bool first = true;
    const auto append = [&](const std::string& item) {
        if (!first) text += ", ";
        text += item;
        first = false;
    };
    for (const Glob& glob : globs_) append(quoted(glob.pattern()));
    for (const Network& entry : networks_) append(entry.as_written);
    for (const Regex& regex : regexes_) append("/" + regex.expression + "/");
    return text + ")";
}

}  // namespace smbreaper
