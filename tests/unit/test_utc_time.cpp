#include <catch2/catch.hpp>

#include "common/utc_time.h"

using smbreaper::common::format_utc_timestamp;
using smbreaper::common::is_canonical_timestamp;
using smbreaper::common::parse_utc_timestamp;

using namespace smbreaper;
using namespace std::chrono;

namespace {

system_clock::time_point utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0, int ms = 0) {
    return sys_days(year(y) / month(m) / day(d)) + hours(h) + minutes(min) + seconds(s) + milliseconds(ms);
}

}  // namespace

TEST_CASE("times are stored as fixed-width UTC ISO 8601 with milliseconds", "[audit][time]") {
    CHECK(format_utc_timestamp(utc(2024, 5, 1, 12, 34, 56, 789)) == "2024-05-01T12:34:56.789Z");
    CHECK(format_utc_timestamp(utc(1999, 12, 31, 23, 59, 59, 5)) == "1999-12-31T23:59:59.005Z");
    CHECK(format_utc_timestamp(utc(2024, 2, 29) + microseconds(999)) == "2024-02-29T00:00:00.000Z");
}

TEST_CASE("the ISO 8601 forms people type are read", "[audit][time]") {
    CHECK(parse_utc_timestamp("2024-05-01") == utc(2024, 5, 1));
    CHECK(parse_utc_timestamp("2024-05-01T12:34") == utc(2024, 5, 1, 12, 34));
    CHECK(parse_utc_timestamp("2024-05-01 12:34:56") == utc(2024, 5, 1, 12, 34, 56));
    CHECK(parse_utc_timestamp("2024-05-01T12:34:56.5Z") == utc(2024, 5, 1, 12, 34, 56, 500));
    CHECK(parse_utc_timestamp("2024-05-01T12:34:56.789Z") == utc(2024, 5, 1, 12, 34, 56, 789));
    CHECK(parse_utc_timestamp("2024-05-01T14:34:56+02:00") == utc(2024, 5, 1, 12, 34, 56));
    CHECK(parse_utc_timestamp("2024-05-01T07:04:56-0530") == utc(2024, 5, 1, 12, 34, 56));
    CHECK(parse_utc_timestamp("2024-05-01T12:34:56z") == utc(2024, 5, 1, 12, 34, 56));
}

TEST_CASE("anything else is refused, impossible dates included", "[audit][time]") {
    for (const char* bad :
         {"", "2024", "2024-5-1", "2023-02-29", "2024-13-01", "2024-04-31", "2024-05-01T24:00", "2024-05-01T12:60",
          "2024-05-01T12:34:61", "2024-05-01T12", "2024-05-01T12:34:56.", "2024-05-01T12:34:56.1234567890",
          "2024-05-01T12:34:56+25:00", "2024-05-01X12:34", "2024-05-01T12:34:56Z junk", "24h"}) {
        INFO(bad);
        CHECK_FALSE(parse_utc_timestamp(bad).has_value());
    }
}

TEST_CASE("only the stored form is canonical", "[audit][time]") {
    CHECK(is_canonical_timestamp("2024-05-01T12:34:56.789Z"));
    CHECK_FALSE(is_canonical_timestamp("2024-05-01T12:34:56Z"));
    CHECK_FALSE(is_canonical_timestamp("2024-05-01T12:34:56.789+00:00"));
    CHECK_FALSE(is_canonical_timestamp("2024-05-01"));
}
