#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbreaper {

// The literal texts that every whole-string match of a valid ECMAScript regular expression must
// contain, lower-cased (ASCII), found by a conservative reading of the pattern: runs of plain or
// escaped characters at its top level that no quantifier makes optional. For
// `CORP\\[a-c]smith\d*` these are `corp\` and `smith`. Nothing is returned when nothing is
// certain (an alternation at the top level) or the syntax is unusual (\x, \u, \c and back
// references, nested brackets): the prefilter then lets every text through to the regex.
//
// Why: libstdc++'s std::regex costs about a thousand instructions a call, even for a text that
// fails at its first characters, and most sessions fail a rule's regex. A text lacking one of
// these literals cannot match, which a substring search tells in a few dozen instructions.
std::vector<std::string> required_literals(std::string_view pattern);

// True when `text` contains each of `literals` (lower-cased), ASCII letters compared without case.
bool contains_all_ignoring_case(std::string_view text, const std::vector<std::string>& literals);

}  // namespace smbreaper
