#include <catch2/catch.hpp>

#include "sessions/dialect.h"

using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_dialect;
using smbreaper::sessions::windows_spelling;

using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_dialect;

TEST_CASE("every spelling of a dialect parses to its revision", "[dialect]") {
    const std::pair<const char*, Dialect> spellings[] = {
        {"3.1.1", Dialect::Smb3_1_1},   {"3.11", Dialect::Smb3_1_1},    {"SMB3_11", Dialect::Smb3_1_1},
        {"smb3_11", Dialect::Smb3_1_1}, {"3.0.2", Dialect::Smb3_0_2},   {"3.02", Dialect::Smb3_0_2},
        {"SMB3_02", Dialect::Smb3_0_2}, {"3.0", Dialect::Smb3_0},       {"3.00", Dialect::Smb3_0},
        {"SMB3_00", Dialect::Smb3_0},   {"3", Dialect::Smb3_0},         {"2.1", Dialect::Smb2_1},
        {"2.10", Dialect::Smb2_1},      {"SMB2_10", Dialect::Smb2_1},   {"2.0.2", Dialect::Smb2_0_2},
        {"2.02", Dialect::Smb2_0_2},    {"SMB2_02", Dialect::Smb2_0_2}, {"NT1", Dialect::Smb1},
        {"1.5", Dialect::Smb1},         {" 3.1.1 ", Dialect::Smb3_1_1},
    };
    for (const auto& [text, expected] : spellings) {
        INFO(text);
        REQUIRE(parse_dialect(text) == expected);
    }
}

TEST_CASE("revisions order as the protocol does", "[dialect]") {
    REQUIRE(*parse_dialect("2.02") < *parse_dialect("2.10"));
    REQUIRE(*parse_dialect("2.10") < *parse_dialect("3.00"));
    REQUIRE(*parse_dialect("3.00") < *parse_dialect("3.02"));
    REQUIRE(*parse_dialect("3.02") < *parse_dialect("SMB3_11"));
    REQUIRE(*parse_dialect("NT1") < *parse_dialect("2.0.2"));
}

TEST_CASE("unknown dialects do not parse", "[dialect]") {
    for (const char* text : {"", "3.1", "2.0", "4.0", "abc", "3.1.1.1", "3.x", "SMB", "2.FF", "3.111"}) {
        INFO(text);
        REQUIRE_FALSE(parse_dialect(text).has_value());
    }
}

TEST_CASE("the Windows spelling is what Get-SmbSession prints", "[dialect]") {
    REQUIRE(windows_spelling(Dialect::Smb3_1_1) == "3.1.1");
    REQUIRE(windows_spelling(Dialect::Smb3_0_2) == "3.0.2");
    REQUIRE(windows_spelling(Dialect::Smb3_0) == "3.0");
    REQUIRE(windows_spelling(Dialect::Smb2_1) == "2.1");
    REQUIRE(windows_spelling(Dialect::Smb2_0_2) == "2.0.2");
}
