// docs/POLICY.md's field table is derived from the field descriptors (rules/field.h): this test
// renders it and fails, writing the table to paste, when the page differs.

#include <catch2/catch.hpp>

#include <string>

#include "rules/field.h"
#include "test_support.h"

using namespace smbreaper;

namespace {

std::string sources_of(const FieldDescriptor& field) {
    if (field.provided_by == kFromEverySource) return "Samba, Windows";
    if (field.provided_by == kFromSamba) return "Samba";
    if (field.provided_by == kFromWmi) return "Windows";
    return "none";
}

std::string kind_of(const FieldDescriptor& field) {
    if (field.field == Field::Client) return "text, addresses and CIDR blocks";
    if (field.read.texts != nullptr) return "text; holds if any matches";
    return std::string(to_string(field.kind));
}

std::string field_table() {
    std::string table = "| field | property | kind | live sources | what it is | example |\n|---|---|---|---|---|---|\n";
    for (const FieldDescriptor& field : all_fields()) {
        table += "| `" + std::string(field.name) + "` | " + std::string(field.property) + " | " + kind_of(field) + " | " +
                 sources_of(field) + " | " + std::string(field.description) + " | `" + std::string(field.example) + "` |\n";
    }
    return table;
}

}  // namespace

TEST_CASE("docs/POLICY.md's field table is the field descriptors'", "[fields][docs]") {
    const std::string page = test::read_file(test::source_path("docs/POLICY.md"));
    const std::string begin = "<!-- field table: generated from rules/field.cpp by tests/unit/test_field_docs.cpp -->\n";
    const std::string end = "<!-- end of field table -->";
    const auto from = page.find(begin);
    const auto to = page.find(end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string written = page.substr(from + begin.size(), to - from - begin.size());
    if (written != field_table()) {
        test::write_file("field-table.md", field_table());
        FAIL("docs/POLICY.md's field table differs from the descriptors; the table to paste between the markers "
             "is in field-table.md, in the folder this test ran in");
    }
}
