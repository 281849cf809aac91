#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "rules/ascii_regex.h"
#include "rules/regex_prefilter.h"

using smbreaper::AsciiRegex;
using smbreaper::contains_all_ignoring_case;
using smbreaper::required_literals;

namespace {

std::vector<std::string> sorted_literals(const std::string& pattern) {
    std::vector<std::string> literals = required_literals(pattern);
    std::sort(literals.begin(), literals.end());
    return literals;
}

using Literals = std::vector<std::string>;

}  // namespace

TEST_CASE("the literals every match must contain are read from plain runs of the pattern") {
    CHECK(sorted_literals("CORP\\\\[a-c]smith\\d*") == Literals{"corp\\", "smith"});
    CHECK(sorted_literals("Alice") == Literals{"alice"});
    CHECK(sorted_literals("v-\\d+") == Literals{"v-"});
    CHECK(sorted_literals("\\.txt$") == Literals{".txt"});
    CHECK(sorted_literals("(svc|adm)-.*") == Literals{"-"});
    CHECK(sorted_literals("(?:ab)cd") == Literals{"cd"});
    CHECK(sorted_literals("(?!bad)good") == Literals{"good"});
    CHECK(sorted_literals("[a-z]+\\$") == Literals{"$"});
    // A lower bound of zero, however written, makes the character before optional.
    CHECK(sorted_literals("abx{0}yz") == Literals{"ab", "yz"});
    CHECK(sorted_literals("abx{00}yz") == Literals{"ab", "yz"});
    CHECK(sorted_literals("abx{000,3}yz") == Literals{"ab", "yz"});
    CHECK(sorted_literals("abx{01}yz") == Literals{"abx", "yz"});
    const std::string text = "abyz";
    CHECK(std::regex_match(text, std::regex("abx{00}yz")));
    CHECK(contains_all_ignoring_case(text, required_literals("abx{00}yz")));
}

TEST_CASE("the literals are checked with the one the pattern starts with last, the others longest first") {
    CHECK(required_literals("CORP\\\\[a-c]smith\\d*") == Literals{"smith", "corp\\"});
    CHECK(required_literals("ab.cde.f") == Literals{"cde", "f", "ab"});
    CHECK(required_literals(".ab.cde") == Literals{"cde", "ab"});
}

TEST_CASE("a quantifier that allows zero leaves its character out; one that repeats ends the run") {
    CHECK(sorted_literals("abc*") == Literals{"ab"});
    CHECK(sorted_literals("a?b") == Literals{"b"});
    CHECK(sorted_literals("ab*?c") == Literals{"a", "c"});
    CHECK(sorted_literals("ab+c") == Literals{"ab", "c"});
    CHECK(sorted_literals("a{0,3}bc") == Literals{"bc"});
    CHECK(sorted_literals("xa{2}bc") == Literals{"bc", "xa"});
    CHECK(sorted_literals("\\.?net") == Literals{"net"});
}

TEST_CASE("nothing is claimed for alternations and syntax the reading does not follow") {
    for (const char* pattern : {"x|y", "abc|", ".*", "\\x41bc", "\\u0041bc", "\\cJab", "(a)\\1bc", "[[:alpha:]]+x",
                                "[]a]bc", "[^]bc", "a{,2}"}) {
        INFO(pattern);
        CHECK(required_literals(pattern).empty());
    }
}

TEST_CASE("the prefilter compares ASCII letters without case") {
    CHECK(contains_all_ignoring_case("CORP\\JSmith", {"smith", "corp\\"}));
    CHECK_FALSE(contains_all_ignoring_case("CORP\\jsmyth", {"smith", "corp\\"}));
    CHECK(contains_all_ignoring_case("anything", {}));
    CHECK_FALSE(contains_all_ignoring_case("ab", {"abc"}));
}

// The property that makes it safe: whenever the regex matches, the prefilter lets the text through.
TEST_CASE("the prefilter never turns away a text the regex matches") {
    const std::vector<std::string> patterns = {
        "C\\\\[a-c]b\\d*",      "ab+c",  "a{0,3}bc", "ca{2}b",  "abc*",   "a?b",       "(a|b)c", "a.c",
        "\\.?a\\$",               "a\\-b", "[ab]+c?",  "(?:ab)*c", "a(b)?c", "A\\\\B",     "b{1,}a", "c*a*b*",
        "(?!ab)a.",               "\\d+a", "a\\b.*",   "^ab$",     "a\\sb",  "(a(b)c)+", "[a-]c", "ab{0}c",
    };
    const std::string alphabet = "abcABC-\\.$ 1";
    std::mt19937 random(7);
    std::uniform_int_distribution<std::size_t> length(0, 7), letter(0, alphabet.size() - 1);
    for (const std::string& pattern : patterns) {
        const AsciiRegex regex(pattern, AsciiRegex::ECMAScript | AsciiRegex::icase);
        const std::vector<std::string> literals = required_literals(pattern);
        std::size_t matched = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string text;
            for (std::size_t n = length(random); n > 0; --n) text += alphabet[letter(random)];
            if (!std::regex_match(text, regex)) continue;
            ++matched;
            INFO(pattern << " on '" << text << "'");
            REQUIRE(contains_all_ignoring_case(text, literals));
        }
        INFO(pattern);
        CHECK(matched > 0);
    }
}
