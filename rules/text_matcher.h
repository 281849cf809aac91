#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ascii_regex.h"
#include "rules/glob.h"
#include "rules/ip_network.h"

namespace smbreaper {

// Matches a text field against any of several patterns: globs, CIDR blocks (client only) and
// whole-string case-insensitive regular expressions. Built once when the policy is compiled.
class TextMatcher {
public:
    void add_glob(std::string_view pattern) { globs_.emplace_back(pattern); }
    void add_network(const IpNetwork& network, std::string_view as_written);
    // Throws std::regex_error when the expression is invalid.
    void add_regex(std::string_view expression);
    // Remembers that the patterns came from a named list, for explanations.
    void set_list_name(std::string_view name) { list_name_ = name; }

    // `address` is the text parsed as an IP address, when the caller has it (client field).
    // Inline: it runs for nearly every rule and session, mostly to try one glob.
    bool matches(std::string_view text, const std::optional<IpAddress>& address) const {
        for (const Glob& glob : globs_) {
            if (glob.matches(text)) return true;
        }
        if (address) {
            for (const Network& entry : networks_) {
                if (entry.network.contains(*address)) return true;
            }
        }
        return !regexes_.empty() && matches_a_regex(text);
    }

    bool uses_networks() const { return !networks_.empty(); }
    bool matches_everything() const;
    // "in service_accounts", "== 'bob'", "like 'CORP\\ext-*'", "matches /^a.*$/", "in ('a', 'b')"
    std::string describe() const;
    // The patterns as written, sorted, for comparing two matchers.
    std::vector<std::string> patterns() const;

private:
    bool matches_a_regex(std::string_view text) const;

    struct Regex {
        std::string expression;
        AsciiRegex compiled;
        std::vector<std::string> required_literals;  // a text without one of them cannot match
    };
    struct Network {
        IpNetwork network;
        std::string as_written;
    };

    std::vector<Glob> globs_;
    std::vector<Network> networks_;
    std::vector<Regex> regexes_;
    std::string list_name_;
};

}  // namespace smbreaper
