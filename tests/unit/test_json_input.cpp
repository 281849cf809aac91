#include <catch2/catch.hpp>

#include "sessions/json_input.h"
#include "sessions/session_table.h"

using smbreaper::sessions::json_member_path;
using smbreaper::sessions::json_text_without_bom;
using smbreaper::sessions::JsonEventReader;
using smbreaper::sessions::JsonScalar;
using smbreaper::sessions::parse_decimal_u64;
using smbreaper::sessions::quote_for_message;
using smbreaper::sessions::read_json_events;
using smbreaper::sessions::skip_utf8_bom;
using smbreaper::sessions::text_position;

using namespace smbreaper;
using Catch::Matchers::Contains;

TEST_CASE("a byte offset becomes line and column", "[json-input]") {
    const std::string_view text = "ab\ncd\r\n\nxyz";
    CHECK(text_position(text, 0).line == 1);
    CHECK(text_position(text, 0).column == 1);
    CHECK(text_position(text, 4).line == 2);
    CHECK(text_position(text, 4).column == 2);
    CHECK(text_position(text, 8).line == 4);
    CHECK(text_position(text, 8).column == 1);
    // Past the end: the position just after the last byte.
    CHECK(text_position(text, 99).line == 4);
    CHECK(text_position(text, 99).column == 4);
}

TEST_CASE("byte-order marks: UTF-8 is skipped, UTF-16 and UTF-32 are refused by name", "[json-input]") {
    CHECK(skip_utf8_bom("\xEF\xBB\xBF[1]") == "[1]");
    CHECK(skip_utf8_bom("[1]") == "[1]");
    CHECK(json_text_without_bom("\xEF\xBB\xBF{}", "f.json") == "{}");
    CHECK_THROWS_WITH(json_text_without_bom("\xFF\xFE[\0", "f.json"), Contains("f.json: the text is UTF-16"));
    CHECK_THROWS_WITH(json_text_without_bom("\xFE\xFF\0[", "f.json"), Contains("UTF-16"));
    CHECK_THROWS_WITH(json_text_without_bom(std::string_view("\xFF\xFE\0\0[\0\0\0", 8), "f.json"),
                      Contains("f.json: the text is UTF-32"));
}

TEST_CASE("decimal numbers are digits only and fit 64 bits", "[json-input]") {
    CHECK(parse_decimal_u64("0") == 0u);
    CHECK(parse_decimal_u64("18446744073709551615") == 18446744073709551615u);
    CHECK(parse_decimal_u64("000000000000000000042") == std::nullopt);  // 21 characters
    for (const char* text :
         {"", "18446744073709551616", "99999999999999999999", "-1", "+1", " 1", "1 ", "1e3", "0x10", "1.0"}) {
        INFO(text);
        CHECK_FALSE(parse_decimal_u64(text).has_value());
    }
}

TEST_CASE("paths and quotes in messages stay readable", "[json-input]") {
    CHECK(json_member_path("", "sessions") == "sessions");
    CHECK(json_member_path("sessions", "1669522539") == "sessions[\"1669522539\"]");
    CHECK(json_member_path("a", "server_id") == "a.server_id");
    CHECK(json_member_path("a", "") == "a[\"\"]");
    CHECK(json_member_path("a", "x\ny") == "a[\"x\\ny\"]");
    CHECK(quote_for_message(std::string(100, 'z')) == "\"" + std::string(60, 'z') + "...\"");
    CHECK(quote_for_message("\xFF") == "\"\xEF\xBF\xBD\"");
}

namespace {

// Writes down the events it sees, one word each.
class EventLog final : public JsonEventReader {
public:
    explicit EventLog(std::string_view origin) : JsonEventReader(origin) {}
    std::string events;

    bool start_object(std::size_t) override { return add("{"); }
    bool end_object() override { return add("}"); }
    bool start_array(std::size_t) override { return add("["); }
    bool end_array() override { return add("]"); }
    bool key(string_t& name) override { return add("key:" + name); }

private:
    void on_scalar(const JsonScalar& value) override { add(value.describe()); }
    bool add(const std::string& event) {
        events += (events.empty() ? "" : " ") + event;
        return true;
    }
};

std::string events_of(std::string_view text) {
    EventLog log("f.json");
    read_json_events(text, log);
    return log.events;
}

}  // namespace

TEST_CASE("a document read as events: scalars as written, syntax errors at line and column", "[json-input]") {
    CHECK(events_of("\xEF\xBB\xBF{\"a\": [1, -2, -0, 2.50, 1e3, true, null, \"x\"]}") ==
          "{ key:a [ 1 -2 -0 2.50 1e3 true null \"x\" ] }");
    CHECK_THROWS_WITH(events_of("{} {}"), Contains("f.json:1:4: syntax error"));
    CHECK_THROWS_WITH(events_of("{\n  \"a\": tru\n}"), Contains("f.json:2:"));
    CHECK_THROWS_WITH(events_of("\xEF\xBB\xBF{\n  \"a\": x}"), Contains("f.json:2:8: syntax error"));
    CHECK_THROWS_WITH(events_of("  \n "), Contains("f.json:2:2: the document is empty"));
    CHECK_THROWS_WITH(events_of("{\"a\": 1e400}"), Contains("f.json:1:11: number overflow parsing '1e400'"));
    CHECK_THROWS_WITH(events_of(std::string_view("\xFF\xFE{\0}\0", 6)), Contains("f.json: the text is UTF-16"));
}
