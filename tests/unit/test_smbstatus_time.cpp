#include <catch2/catch.hpp>

#include "sessions/samba/smbstatus_time.h"
#include "test_support.h"

using smbreaper::sessions::parse_smbstatus_time;

using smbreaper::sessions::parse_smbstatus_time;

using smbreaper::test::utc;

TEST_CASE("both offset spellings smbstatus prints are read", "[smbstatus][time]") {
    CHECK(parse_smbstatus_time("2026-11-23T23:56:06.193829+0000") == utc(2026, 11, 23, 23, 56, 6, 193829));
    CHECK(parse_smbstatus_time("2026-11-23T23:55:58.738539+00:00") == utc(2026, 11, 23, 23, 55, 58, 738539));
}

TEST_CASE("offsets are applied to reach UTC", "[smbstatus][time]") {
    CHECK(parse_smbstatus_time("2026-11-24T01:00:00.5+0100") == utc(2026, 11, 24, 0, 0, 0, 500000));
    CHECK(parse_smbstatus_time("2026-11-23T18:30:00-05:30") == utc(2026, 11, 24, 0, 0, 0));
    CHECK(parse_smbstatus_time("2026-01-01T00:10:00+01:00") == utc(2025, 12, 31, 23, 10, 0));
    CHECK(parse_smbstatus_time("2026-11-23T10:00:00Z") == utc(2026, 11, 23, 10, 0, 0));
    CHECK(parse_smbstatus_time("2024-02-29T00:00:00.123456789+0000") == utc(2024, 2, 29, 0, 0, 0, 123456));
}

TEST_CASE("anything else is not a time", "[smbstatus][time]") {
    for (const char* text :
         {"", "yesterday", "2026-11-23", "2026-11-23T23:56:06", "2026-11-23 23:56:06+0000", "2026-02-30T10:00:00+0000",
          "2025-02-29T10:00:00+0000", "2026-13-01T10:00:00+0000", "2026-11-23T24:00:00+0000",
          "2026-11-23T23:60:00+0000", "2026-11-23T23:00:60+0000", "2026-11-23T23:00:00.+0000",
          "2026-11-23T23:00:00.1234567890+0000", "2026-11-23T23:00:00+2400", "2026-11-23T23:00:00+0060",
          "2026-11-23T23:00:00+00:00 ", "2026-11-23T23:00:00+0", "+026-11-23T23:00:00+0000", "2026-11-23T23:00:00ZZ",
          // beyond what a nanosecond system clock can hold
          "9999-12-31T23:59:59+0000", "0001-01-01T00:00:00+0000"}) {
        INFO(text);
        CHECK_FALSE(parse_smbstatus_time(text).has_value());
    }
}
