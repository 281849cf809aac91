// The source registry (sessions/session_source.h): what settings.source may say and which source
// each value opens.

#include <catch2/catch.hpp>

#include <set>

#include "common/platform.h"
#include "sessions/session_source.h"

using smbreaper::common::this_platform;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::find_source;
using smbreaper::sessions::parse_source_choice;
using smbreaper::sessions::source_choices;
using smbreaper::sessions::SourceDescriptor;

using namespace smbreaper;

TEST_CASE("every registered source has a unique name, a summary and a platform", "[sources]") {
    std::set<std::string_view> names;
    for (const SourceDescriptor& source : all_sources()) {
        CHECK(names.insert(source.name).second);
        CHECK(source.name != "auto");
        CHECK_FALSE(source.summary.empty());
        CHECK((source.platforms & smbreaper::common::kEveryPlatform) != 0);
        CHECK((source.default_on & ~source.platforms) == 0);
        CHECK((source.every_property || !source.properties.empty()));
    }
    CHECK(names == std::set<std::string_view>{"snapshot", "samba", "wmi"});
}

TEST_CASE("a source can be opened exactly on the platforms it names", "[sources]") {
    // The build (sessions/CMakeLists.txt) and the descriptor must agree.
    for (const SourceDescriptor& source : all_sources()) {
        INFO(source.name);
        CHECK(source.runs_here() == ((source.platforms & this_platform()) != 0));
    }
}

TEST_CASE("auto is the one live source of this platform", "[sources]") {
    const SourceDescriptor* automatic = find_source("auto");
    REQUIRE(automatic != nullptr);
    CHECK(automatic->runs_here());
    CHECK(automatic->name == (this_platform() == smbreaper::common::kLinux ? "samba" : "wmi"));
    int defaults_here = 0;
    for (const SourceDescriptor& source : all_sources()) defaults_here += (source.default_on & this_platform()) != 0;
    CHECK(defaults_here == 1);
    CHECK(find_source("ksmbd") == nullptr);
}

TEST_CASE("settings.source values: names, NAME:PATH, and what is not one", "[sources]") {
    CHECK(parse_source_choice("auto", {})->name == "auto");
    CHECK(parse_source_choice("samba", {})->name == "samba");
    CHECK(parse_source_choice("wmi", {})->name == "wmi");

    const auto snapshot = parse_source_choice("snapshot:tables/today.json", "/etc/smbreaper");
    REQUIRE(snapshot);
    CHECK(snapshot->name == "snapshot");
    CHECK(snapshot->file == std::filesystem::path("/etc/smbreaper/tables/today.json"));
    CHECK(parse_source_choice("snapshot:/srv/t.json", "/etc/smbreaper")->file == std::filesystem::path("/srv/t.json"));

    CHECK_FALSE(parse_source_choice("snapshot", {}));  // it needs its PATH
    CHECK_FALSE(parse_source_choice("snapshot:", {}));
    CHECK_FALSE(parse_source_choice("samba:x", {}));  // samba takes none
    CHECK_FALSE(parse_source_choice("Samba", {}));
    CHECK_FALSE(parse_source_choice("", {}));

    CHECK(source_choices() == "auto, snapshot:PATH, samba or wmi");
}
