#include <catch2/catch.hpp>

#include "sessions/wmi/wmi_value.h"

using smbreaper::sessions::is_null;
using smbreaper::sessions::property;
using smbreaper::sessions::wmi_bool;
using smbreaper::sessions::wmi_string;
using smbreaper::sessions::wmi_uint32;
using smbreaper::sessions::wmi_uint64;
using smbreaper::sessions::WmiProperties;
using smbreaper::sessions::WmiValue;
using smbreaper::sessions::WmiValueError;

using namespace smbreaper;

TEST_CASE("uint64 properties arrive as decimal strings and are read exactly", "[wmi][value]") {
    CHECK(wmi_uint64(WmiValue{std::string("1099511627777")}) == 1099511627777ULL);
    CHECK(wmi_uint64(WmiValue{std::string("18446744073709551615")}) == 18446744073709551615ULL);
    CHECK(wmi_uint64(WmiValue{std::int64_t{42}}) == 42u);
    CHECK_FALSE(wmi_uint64(WmiValue{}).has_value());
}

TEST_CASE("a uint64 that is not a whole number is an error, never a guess", "[wmi][value]") {
    CHECK_THROWS_AS(wmi_uint64(WmiValue{std::string("")}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint64(WmiValue{std::string("12a")}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint64(WmiValue{std::string("-1")}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint64(WmiValue{std::string("18446744073709551616")}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint64(WmiValue{std::int64_t{-5}}), WmiValueError);
    CHECK_THROWS_WITH(wmi_uint64(WmiValue{true}), Catch::Contains("got the boolean true"));
}

TEST_CASE("uint32 properties arrive as VT_I4: values above 2^31-1 come negative", "[wmi][value]") {
    CHECK(wmi_uint32(WmiValue{std::int64_t{9000}}) == 9000u);
    CHECK(wmi_uint32(WmiValue{std::int64_t{-1}}) == 4294967295u);
    CHECK(wmi_uint32(WmiValue{std::int64_t{-2147483648LL}}) == 2147483648u);
    CHECK(wmi_uint32(WmiValue{std::int64_t{4294967295LL}}) == 4294967295u);
    CHECK(wmi_uint32(WmiValue{std::string("17")}) == 17u);
    CHECK_FALSE(wmi_uint32(WmiValue{}).has_value());
    CHECK_THROWS_AS(wmi_uint32(WmiValue{std::int64_t{4294967296LL}}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint32(WmiValue{std::int64_t{-2147483649LL}}), WmiValueError);
    CHECK_THROWS_AS(wmi_uint32(WmiValue{1.5}), WmiValueError);
}

TEST_CASE("strings and booleans are read as themselves", "[wmi][value]") {
    CHECK(wmi_string(WmiValue{std::string("CORP\\alice")}) == "CORP\\alice");
    CHECK_FALSE(wmi_string(WmiValue{}).has_value());
    CHECK_THROWS_AS(wmi_string(WmiValue{std::int64_t{1}}), WmiValueError);
    CHECK(wmi_bool(WmiValue{false}) == false);
    CHECK_THROWS_AS(wmi_bool(WmiValue{std::string("true")}), WmiValueError);
}

TEST_CASE("a missing property reads as null", "[wmi][value]") {
    const WmiProperties properties{{"Name", std::string("x")}};
    CHECK(is_null(property(properties, "State")));
    CHECK(std::get<std::string>(property(properties, "Name")) == "x");
}
