#include <catch2/catch.hpp>

#include "rules/glob.h"

using smbreaper::rules::Glob;

using smbreaper::rules::Glob;

TEST_CASE("globs match case-insensitively, as Windows compares names", "[glob]") {
    REQUIRE(Glob("CORP\\svc_*").matches("corp\\SVC_backup"));
    REQUIRE(Glob("alice").matches("ALICE"));
    REQUIRE_FALSE(Glob("alice").matches("alice2"));
    REQUIRE_FALSE(Glob("alice").matches("alic"));
}

TEST_CASE("each shape of glob takes its own path and agrees with the general matcher", "[glob]") {
    REQUIRE(Glob("LAB-*").matches("lab-17"));
    REQUIRE(Glob("LAB-*").matches("LAB-"));
    REQUIRE_FALSE(Glob("LAB-*").matches("LA"));
    REQUIRE(Glob("*$").matches("HOST$"));
    REQUIRE_FALSE(Glob("*$").matches("HOST"));
    REQUIRE(Glob("*").matches(""));
    REQUIRE(Glob("**").matches("anything"));
    REQUIRE(Glob("a*b*c").matches("aXXbYYc"));
    REQUIRE(Glob("a*b*c").matches("abc"));
    REQUIRE_FALSE(Glob("a*b*c").matches("acb"));
    REQUIRE(Glob("?ob").matches("Bob"));
    REQUIRE_FALSE(Glob("?ob").matches("ob"));
    REQUIRE(Glob("*ext-?").matches("CORP\\ext-1"));
    REQUIRE(Glob("*a*").matches("bab"));
    REQUIRE_FALSE(Glob("*a*").matches("bbb"));
}

TEST_CASE("a pathological glob stays fast and correct", "[glob]") {
    const std::string text(5000, 'a');
    REQUIRE_FALSE(Glob("*a*a*a*a*a*a*a*a*b").matches(text));
    REQUIRE(Glob("*a*a*a*a*a*a*a*a*").matches(text));
}

TEST_CASE("non-ASCII bytes compare exactly", "[glob]") {
    REQUIRE(Glob("jos\xC3\xA9").matches("JOS\xC3\xA9"));
    REQUIRE_FALSE(Glob("jos\xC3\xA9").matches("jose"));
}

TEST_CASE("'?' matches one character, however many bytes UTF-8 takes for it", "[glob]") {
    // A keep rule or an exception written for "J?rg" must protect J\xC3\xB6rg (2 bytes for o-umlaut).
    REQUIRE(Glob("j?rg").matches("J\xC3\xB6rg"));
    REQUIRE(Glob("?").matches("\xE2\x82\xAC"));  // the euro sign: 3 bytes
    REQUIRE(
        Glob("a?b").matches("a\xF0\x9F\x98\x80"
                            "b"));  // an emoji: 4 bytes
    REQUIRE_FALSE(Glob("??").matches("\xC3\xB6"));
    REQUIRE(Glob("*?rg").matches("J\xC3\xB6rg"));
    REQUIRE(Glob("m*?ller").matches("M\xC3\xBCller"));
    REQUIRE(Glob("?").matches("\xFF"));  // a byte that starts no character is one
}

TEST_CASE("a '*' or '?' in the text is matched by the pattern's wildcards, not as a literal", "[glob]") {
    // The pattern's '*' used to be compared with the text's '*' as a letter, ending the match.
    REQUIRE(Glob("*b*").matches("*ab"));
    REQUIRE(Glob("*b?").matches("*abc"));
    REQUIRE(Glob("a*?").matches("a*"));
}
