#include <catch2/catch.hpp>

#include <stdexcept>

#include "common/case_folding.h"
#include "service/cli/wildcard_pattern.h"

using smbreaper::cli::WildcardPattern;

using smbreaper::cli::WildcardPattern;

namespace {

bool like(const char* text, const char* pattern) { return WildcardPattern(pattern).matches(text); }

}  // namespace

TEST_CASE("plain text matches itself only, in any case", "[wildcard]") {
    CHECK(like("CORP\\alice", "corp\\ALICE"));
    CHECK_FALSE(like("CORP\\alice2", "CORP\\alice"));
    CHECK_FALSE(like("CORP\\alic", "CORP\\alice"));
    CHECK(like("", ""));
    CHECK_FALSE(like("x", ""));
    CHECK_FALSE(WildcardPattern("CORP\\alice").has_wildcards());
}

TEST_CASE("* takes any run and ? exactly one character", "[wildcard]") {
    CHECK(like("CORP\\ext-frank", "corp\\ext-*"));
    CHECK(like("CORP\\ext-", "corp\\ext-*"));
    CHECK(like("10.0.5.21", "10.0.*.2?"));
    CHECK_FALSE(like("10.0.5.2", "10.0.*.2?"));
    CHECK(like("abcabcabd", "*abd"));  // a mismatch after a partial match restarts the run
    CHECK(like("aXbXc", "a*b*c"));
    CHECK_FALSE(like("aXbXd", "a*b*c"));
    CHECK(like("anything", "*"));
    CHECK(like("", "*"));
    CHECK_FALSE(like("", "?"));
    CHECK(WildcardPattern("a*").has_wildcards());
    CHECK(WildcardPattern("a?").has_wildcards());
}

TEST_CASE("[...] takes one of the characters or ranges listed", "[wildcard]") {
    CHECK(like("LAB-3", "lab-[1-4]"));
    CHECK_FALSE(like("LAB-5", "lab-[1-4]"));
    CHECK(like("bob", "[bc]ob"));
    CHECK(like("cob", "[bc]ob"));
    CHECK_FALSE(like("dob", "[bc]ob"));
    CHECK(like("Bob", "[a-c]ob"));  // ranges compare case-insensitively too
    CHECK(like("-x", "[-a]x"));     // a '-' at either end is itself
    CHECK(like("a-", "a[b-]"));
    CHECK(WildcardPattern("[ab]").has_wildcards());
}

TEST_CASE("a backtick makes the next character literal", "[wildcard]") {
    CHECK(like("what*", "what`*"));
    CHECK_FALSE(like("whatever", "what`*"));
    CHECK(like("[x]", "`[x]"));
    CHECK(like("a?", "a`?"));
    CHECK_FALSE(like("ab", "a`?"));
    CHECK(like("a`", "a`"));  // a trailing backtick is itself
    CHECK_FALSE(WildcardPattern("what`*").has_wildcards());
}

TEST_CASE("non-ASCII letters compare case-insensitively, character by character", "[wildcard]") {
    CHECK(like("CORP\\ÉMILE", "corp\\émile"));
    CHECK(like("CORP\\Ärger", "corp\\ä*"));
    CHECK(like("ДМИТРИЙ", "дмитрий"));
    CHECK(like("ΣΟΦΊΑ", "σοφία"));
    CHECK(like("ŁUKASZ", "łukasz"));
    CHECK(like("émile", "?mile"));  // é is one character, not two bytes
    CHECK_FALSE(like("emile", "émile"));
}

TEST_CASE("bytes that are not UTF-8 still compare exactly", "[wildcard]") {
    CHECK(like("a\xff", "A\xff"));
    CHECK_FALSE(like("a\xfe", "a\xff"));
    CHECK(like("a\xff", "a?"));
    CHECK(smbreaper::common::fold_case(std::string_view("\xC3")) !=
          smbreaper::common::fold_case(std::string_view("\xC4")));
}

TEST_CASE("patterns PowerShell rejects are errors that name the pattern", "[wildcard]") {
    CHECK_THROWS_WITH(WildcardPattern("lab-[1-4"), Catch::Contains("'lab-[1-4'") && Catch::Contains("no matching ']'"));
    CHECK_THROWS_AS(WildcardPattern("a[]"), std::invalid_argument);
    CHECK_THROWS_WITH(WildcardPattern("[z-a]"), Catch::Contains("backwards"));
}
