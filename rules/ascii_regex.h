#pragma once

#include <regex>

namespace smbreaper {

// std::regex_traits<char> folds case through the locale's ctype facet, which it looks up again
// for every character of every match (a dynamic_cast and a string comparison each time): with
// `icase` that was most of a regex's cost. Policies fold ASCII letters only (docs/POLICY.md), as
// the "C" locale smbreaper runs in does, so these traits fold them directly.
struct AsciiRegexTraits : std::regex_traits<char> {
    char translate_nocase(char c) const { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
};

using AsciiRegex = std::basic_regex<char, AsciiRegexTraits>;

}  // namespace smbreaper
