#include <catch2/catch.hpp>

#include "sessions/json_input.h"
#include "sessions/session_table.h"

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
    for (const char* text : {"", "18446744073709551616", "99999999999999999999", "-1", "+1", " 1", "1 ", "1e3",
                             "0x10", "1.0"}) {
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

TEST_CASE("a strict document parse names line and column of syntax errors", "[json-input]") {
    CHECK(parse_json_document("\xEF\xBB\xBF{\"a\": [1, 2]}", "f.json")["a"][1] == 2);
    CHECK_THROWS_AS(parse_json_document("{} {}", "f.json"), SourceError);
    CHECK_THROWS_WITH(parse_json_document("{\n  \"a\": tru\n}", "f.json"), Contains("f.json:2:"));
    CHECK_THROWS_WITH(parse_json_document("\xEF\xBB\xBF{\n  \"a\": x}", "f.json"), Contains("f.json:2:8: syntax error"));
    CHECK_THROWS_WITH(parse_json_document("  \n ", "f.json"), Contains("f.json:2:2: the document is empty"));
}

namespace {

// Keeps "sessions" whole; of "files", keeps only the member "opens" of each file.
bool keep_opens_only(std::string_view top_level_member, std::size_t depth, std::string_view key) {
    return top_level_member != "files" || depth != 3 || key == "opens";
}

}  // namespace

TEST_CASE("members a reader does not need stay out of the document tree", "[json-input]") {
    const auto document = parse_json_document(
        R"({"sessions": {"1": {"a": 1}}, "files": {"/x": {"opens": {"o": 1}, "lease": {"deep": [[{}]]}, "mode": 3}}})",
        "f.json", keep_opens_only);
    CHECK(document["sessions"]["1"]["a"] == 1);
    CHECK(document["files"]["/x"] == nlohmann::json::parse(R"({"opens": {"o": 1}})"));

    // A member left out is still checked for syntax and nesting, not for repeated keys.
    CHECK_NOTHROW(parse_json_document(R"({"files": {"/x": {"mode": {"k": 1, "k": 2}}}})", "f.json", keep_opens_only));
    CHECK_THROWS_WITH(parse_json_document(R"({"files": {"/x": {"mode": [1, }}}})", "f.json", keep_opens_only),
                      Contains("f.json:1:31: syntax error"));
    const std::string deep = R"({"files": {"/x": {"mode": )" + std::string(100, '[') + std::string(100, ']') + "}}}";
    CHECK_THROWS_WITH(parse_json_document(deep, "f.json", keep_opens_only),
                      Contains("f.json: files[\"/x\"]: values nested deeper than 64 levels"));
}
