// docs/POLICY.md's field and source tables are derived from the field and source descriptors
// (rules/field.h, sessions/session_source.h): this test renders them and fails, writing the
// table to paste, when the page differs.

#include <catch2/catch.hpp>

#include <string>

#include "common/platform.h"
#include "rules/field.h"
#include "rules/field_coverage.h"
#include "test_support.h"

using smbreaper::common::platform_names;
using smbreaper::rules::all_fields;
using smbreaper::rules::Field;
using smbreaper::rules::field_descriptor;
using smbreaper::rules::FieldDescriptor;
using smbreaper::rules::fields_not_provided;
using smbreaper::rules::live_sources_of;
using smbreaper::rules::to_string;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::SourceDescriptor;
using smbreaper::sessions::to_string;

using namespace smbreaper;

namespace {

std::string kind_of(const FieldDescriptor& field) {
    if (field.field == Field::Client) return "text, addresses and CIDR blocks";
    if (field.read.texts != nullptr) return "text; holds if any matches";
    return std::string(to_string(field.kind));
}

std::string field_table() {
    std::string table =
        "| field | property | kind | live sources | what it is | example |\n|---|---|---|---|---|---|\n";
    for (const FieldDescriptor& field : all_fields()) {
        table += "| `" + std::string(field.name) + "` | " + std::string(field.property) + " | " + kind_of(field) +
                 " | " + live_sources_of(field.field) + " | " + std::string(field.description) + " | `" +
                 std::string(field.example) + "` |\n";
    }
    return table;
}

std::string source_table() {
    std::string table =
        "| `settings.source` | runs on | reads | fields it cannot give | what it is |\n|---|---|---|---|---|\n";
    table += "| `auto` | Linux and Windows | as that source | as that source | this platform's own: ";
    for (const SourceDescriptor& source : all_sources()) {
        if (source.default_on == 0) continue;
        table += std::string(source.name) + " on " + platform_names(source.default_on) +
                 (source.default_on == smbreaper::common::kLinux ? ", " : "");
    }
    table += " |\n";
    for (const SourceDescriptor& source : all_sources()) {
        const std::string written =
            std::string(source.name) + (source.argument.empty() ? "" : ":" + std::string(source.argument));
        std::string reads;
        for (const std::string_view section : source.settings)
            reads += (reads.empty() ? "`settings." : ", `settings.") + std::string(section) + "`";
        std::string missing;
        for (const Field field : fields_not_provided(source)) {
            missing += (missing.empty() ? "`" : ", `") + std::string(field_descriptor(field).name) + "`";
        }
        if (source.every_property) missing = "whatever its writer did not know";
        table += "| `" + written + "` | " + platform_names(source.platforms) + " | " +
                 (reads.empty() ? "nothing" : reads) + " | " + (missing.empty() ? "none" : missing) + " | " +
                 std::string(source.summary) + " |\n";
    }
    return table;
}

// The text between the page's markers for `what` must be `table`.
void check_generated_table(const std::string& what, const std::string& table, const std::string& from_file) {
    const std::string page = test::read_file(test::source_path("docs/POLICY.md"));
    const std::string begin =
        "<!-- " + what + " table: generated from " + from_file + " by tests/unit/test_field_docs.cpp -->\n";
    const std::string end = "<!-- end of " + what + " table -->";
    const auto from = page.find(begin);
    const auto to = page.find(end);
    INFO("markers: " << begin << end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string written = page.substr(from + begin.size(), to - from - begin.size());
    if (written != table) {
        const std::string file = what + "-table.md";
        test::write_file(file, table);
        FAIL("docs/POLICY.md's " << what
                                 << " table differs from the descriptors; the table to paste between the "
                                    "markers is in "
                                 << file << ", in the folder this test ran in");
    }
}

}  // namespace

TEST_CASE("docs/POLICY.md's field table is the field descriptors'", "[fields][docs]") {
    check_generated_table("field", field_table(), "rules/field.cpp");
}

TEST_CASE("docs/POLICY.md's source table is the source descriptors'", "[sources][docs]") {
    check_generated_table("source", source_table(), "the sessions/*/*_source.cpp descriptors");
}
