#include <catch2/catch.hpp>

#include "common/display_text.h"

using smbreaper::common::escape_for_display;

using smbreaper::common::escape_for_display;

TEST_CASE("names that could forge a log line or drive a terminal are escaped", "[display]") {
    REQUIRE(escape_for_display("alice\n2026-01-01T00:00:00.000+0000 info cycle: forged") ==
            "alice\\n2026-01-01T00:00:00.000+0000 info cycle: forged");
    REQUIRE(escape_for_display("a\rb") == "a\\rb");
    REQUIRE(escape_for_display("\x1b[2J\x1b]0;title\x07") == "\\x1B[2J\\x1B]0;title\\x07");
    REQUIRE(escape_for_display(std::string("nul\0byte", 8)) == "nul\\x00byte");
    REQUIRE(escape_for_display("del\x7f") == "del\\x7F");
}

TEST_CASE("hidden Unicode controls are shown by their code point", "[display]") {
    REQUIRE(escape_for_display("\xc2\x9b"
                               "31m") == "\\u{009B}31m");  // C1 CSI
    REQUIRE(escape_for_display("user\xe2\x80\xae"
                               "gpj.exe") == "user\\u{202E}gpj.exe");                   // right-to-left override
    REQUIRE(escape_for_display("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u{2066}x\\u{2069}");  // isolates
}

TEST_CASE("bytes that are not UTF-8 are shown as bytes", "[display]") {
    REQUIRE(escape_for_display("\xff\xfe") == "\\xFF\\xFE");
    REQUIRE(escape_for_display("\xc3") == "\\xC3");                    // truncated sequence
    REQUIRE(escape_for_display("\xc0\xaf") == "\\xC0\\xAF");           // overlong '/'
    REQUIRE(escape_for_display("\xed\xa0\x80") == "\\xED\\xA0\\x80");  // a UTF-16 surrogate
}

TEST_CASE("ordinary names, tabs, quotes, backslashes and non-ASCII letters stay as they are", "[display]") {
    for (const std::string name : {"CORP\\alice", "J\xc3\xb6rg M\xc3\xbcller", "\xe6\x9d\x8e\xe9\x9b\xb7",
                                   "O'Brien; DROP TABLE x", "=HYPERLINK(\"x\")", "tab\there", "\xf0\x9f\x98\x80"}) {
        REQUIRE(escape_for_display(name) == name);
    }
}
