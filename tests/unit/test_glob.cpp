#include <catch2/catch.hpp>

#include "rules/glob.h"

using smbreaper::Glob;

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
