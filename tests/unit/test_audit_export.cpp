#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "audit_test_support.h"
#include "storage/audit_export.h"

using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::csv_field;
using smbreaper::storage::ExportFormat;
using smbreaper::storage::kAuditColumnCount;
using smbreaper::storage::make_entry_writer;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_row;

using namespace smbreaper;

namespace {

AuditRow sample_row() {
    AuditEntry entry = test::sample_closure(42, Outcome::Closed, "=HYPERLINK(\"http://x\")", "LAB,7");
    entry.seq = 3;
    entry.time = "2024-05-01T12:00:00.000Z";
    entry.error = "line one\nline two";
    entry.details_json = "{\n  \"filters\": [\"--user\", \"x\"]\n}";
    entry.prev_hash = std::string(64, '0');
    entry.hash = std::string(64, 'f');
    return to_row(entry);
}

std::string render(ExportFormat format, const std::vector<AuditRow>& rows) {
    std::ostringstream out;
    const auto writer = make_entry_writer(format, out);
    for (const AuditRow& row : rows) writer->write(row);
    writer->finish();
    return out.str();
}

}  // namespace

TEST_CASE("CSV cells that a spreadsheet would run as formulas are neutralised", "[audit][export]") {
    CHECK(csv_field("=1+1") == "'=1+1");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-1") == "'-1");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\tx") == "'\tx");
    CHECK(csv_field("\rx") == "\"'\rx\"");
    CHECK(csv_field(std::string_view("\0x", 2)) == std::string("'\0x", 3));
    CHECK(csv_field("a=b") == "a=b");
    CHECK(csv_field("") == "");
}

TEST_CASE("CSV fields are quoted per RFC 4180", "[audit][export]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("=\"x\",1") == "\"'=\"\"x\"\",1\"");
}

TEST_CASE("CSV for Excel: BOM, header of every column, CRLF", "[audit][export]") {
    const std::string csv = render(ExportFormat::Csv, {sample_row()});
    REQUIRE(csv.rfind("\xEF\xBB\xBF"
                      "seq,time,kind,host,",
                      0) == 0);
    CHECK(csv.find(",hash\r\n") != std::string::npos);
    CHECK(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
    CHECK(csv.find(",\"LAB,7\",") != std::string::npos);
    CHECK(csv.find("\"line one\nline two\"") != std::string::npos);
    CHECK(csv.substr(csv.size() - 2) == "\r\n");
}

TEST_CASE("JSON lines: one object per line with the JSON columns embedded", "[audit][export]") {
    const std::string lines = render(ExportFormat::JsonLines, {sample_row(), sample_row()});
    std::istringstream in(lines);
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
        const auto object = nlohmann::json::parse(line);
        CHECK(object["seq"] == 3);
        CHECK(object["SessionId"] == "42");
        CHECK(object["ClientUserName"] == "=HYPERLINK(\"http://x\")");
        CHECK(object["passthru_json"]["SessionId"] == 42);
        CHECK(object["details_json"]["filters"][0] == "--user");
        CHECK(object["resolves_entry"].is_null());
        CHECK(object.size() == kAuditColumnCount);
        ++count;
    }
    CHECK(count == 2);
}

TEST_CASE("JSON that does not parse is exported as a string", "[audit][export]") {
    AuditRow row = sample_row();
    row[AuditColumn::DetailsJson] = std::string("{broken");
    const auto object = nlohmann::json::parse(render(ExportFormat::JsonLines, {row}));
    CHECK(object["details_json"] == "{broken");
}

TEST_CASE("a JSON array, empty or not, always parses", "[audit][export]") {
    CHECK(nlohmann::json::parse(render(ExportFormat::Json, {})).empty());
    CHECK(nlohmann::json::parse(render(ExportFormat::Json, {sample_row(), sample_row()})).size() == 2);
}

TEST_CASE("the table shows one aligned line per entry", "[audit][export]") {
    const std::string table = render(ExportFormat::Table, {sample_row()});
    std::istringstream in(table);
    std::string header, line, extra;
    std::getline(in, header);
    std::getline(in, line);
    CHECK_FALSE(std::getline(in, extra));
    CHECK(header.rfind("SEQ  TIME", 0) == 0);
    CHECK(line.rfind("3    2024-05-01T12:00:00.000Z", 0) == 0);
    CHECK(header.find("OUTCOME") == line.find("closed"));
    CHECK(header.find("ACTION") != std::string::npos);             // close, or close_file for one open file
    CHECK(header.find("OPENS") != std::string::npos);              // how many files the session held
    CHECK(line.find("line one\\nline two") != std::string::npos);  // shown, not obeyed
}
