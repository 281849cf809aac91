#include <catch2/catch.hpp>

#include <string>

#include "rules/ascii_regex.h"

using smbreaper::AsciiRegex;

namespace {

bool whole_match(const std::string& expression, const std::string& text) {
    const AsciiRegex regex(expression, AsciiRegex::ECMAScript | AsciiRegex::icase | AsciiRegex::optimize);
    return std::regex_match(text, regex);
}

}  // namespace

TEST_CASE("case-insensitive regexes fold ASCII letters, in literals, ranges and classes") {
    CHECK(whole_match("corp\\\\alice", "CORP\\Alice"));
    CHECK(whole_match("CORP\\\\[a-c]smith\\d*", "corp\\BSMITH12"));
    CHECK(whole_match("v-\\d+", "V-42"));
    CHECK(whole_match("[[:alpha:]]+\\$", "HV-NODE"+std::string("$")) == false);
    CHECK(whole_match("[[:alpha:]-]+\\$", "HV-Node$"));
    CHECK_FALSE(whole_match("corp\\\\alice", "CORP\\alicia"));
    CHECK_FALSE(whole_match("alice", "xalice"));  // whole string only
}

TEST_CASE("case-insensitive regexes leave bytes beyond ASCII as they are") {
    CHECK(whole_match("\xC3\xA9mile", "\xC3\xA9MILE"));        // émile: only the ASCII letters fold
    CHECK_FALSE(whole_match("\xC3\xA9mile", "\xC3\x89mile"));  // é and É are different bytes
}
