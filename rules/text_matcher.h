#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/glob.h"
#include "rules/ip_network.h"
#include "rules/regex.h"

namespace smbreaper::rules {

// Matches a text field against any of several patterns: globs, CIDR blocks (client only) and
// whole-value case-insensitive regular expressions (rules/regex.h). Built once when the policy
// is compiled.
class TextMatcher {
public:
    void add_glob(std::string_view pattern) { globs_.emplace_back(pattern); }
    void add_network(const IpNetwork& network, std::string_view as_written);
    void add_regex(Regex regex) { regexes_.push_back(std::move(regex)); }
    // Remembers that the patterns came from a named list, for explanations.
    void set_list_name(std::string_view name) { list_name_ = name; }

    // `address` is the text parsed as an IP address, when the caller has it (client field).
    // Nothing (unknown) when no glob or block matches and a regular expression could not judge
    // the text (it is not UTF-8). Inline: it runs for nearly every rule and session, mostly to
    // try one glob.
    std::optional<bool> matches(std::string_view text, const std::optional<IpAddress>& address) const {
        for (const Glob& glob : globs_) {
            if (glob.matches(text)) return true;
        }
        if (address) {
            for (const Network& entry : networks_) {
                if (entry.network.contains(*address)) return true;
            }
        }
        if (regexes_.empty()) return false;
        return matches_a_regex(text);
    }

    bool uses_networks() const { return !networks_.empty(); }
    bool matches_everything() const;
    // "in service_accounts", "== 'bob'", "like 'CORP\\ext-*'", "matches /^a.*$/", "in ('a', 'b')"
    std::string describe() const;
    // The patterns as written, sorted, for comparing two matchers.
    std::vector<std::string> patterns() const;
    // What the matcher accepts, as a key: equal keys match the same texts. Unlike describe() it
    // cannot be the same for different matchers (each pattern is tagged with its kind and ended
    // by a NUL, which no pattern holds), and the list a matcher came from does not count.
    std::string identity() const;

private:
    std::optional<bool> matches_a_regex(std::string_view text) const;

    struct Network {
        IpNetwork network;
        std::string as_written;
    };

    std::vector<Glob> globs_;
    std::vector<Network> networks_;
    std::vector<Regex> regexes_;
    std::string list_name_;
};

}  // namespace smbreaper::rules
