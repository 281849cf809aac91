// Which fields each source gives (rules/field_coverage.h), derived from the source descriptors.

#include <catch2/catch.hpp>

#include "rules/field_coverage.h"

using smbreaper::rules::all_fields;
using smbreaper::rules::Field;
using smbreaper::rules::FieldDescriptor;
using smbreaper::rules::fields_not_provided;
using smbreaper::rules::live_sources_of;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::find_source;
using smbreaper::sessions::SourceDescriptor;

using namespace smbreaper;

TEST_CASE("every property a source names is a field's property", "[sources][fields]") {
    for (const SourceDescriptor& source : all_sources()) {
        for (const std::string_view property : source.properties) {
            INFO(source.name << " names " << property);
            bool known = false;
            for (const FieldDescriptor& field : all_fields()) known = known || field.property == property;
            CHECK(known);
        }
    }
}

TEST_CASE("the live sources give the fields their servers know", "[sources][fields]") {
    const SourceDescriptor& samba = *find_source("samba");
    const SourceDescriptor& wmi = *find_source("wmi");
    const SourceDescriptor& snapshot = *find_source("snapshot");

    CHECK(fields_not_provided(samba).empty());
    CHECK(fields_not_provided(wmi) == std::vector<Field>{Field::Shares, Field::Encrypted, Field::Signed});
    CHECK(fields_not_provided(snapshot).empty());  // whatever its writer knew

    CHECK(live_sources_of(Field::Idle) == "samba, wmi");
    CHECK(live_sources_of(Field::Shares) == "samba");
}
