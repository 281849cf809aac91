#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "test_support.h"

#ifndef _WIN32
#include <sys/stat.h>
#endif

using smbreaper::common::replace_file_atomically;

using namespace smbreaper;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

std::vector<std::string> names_in(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("a file is created, then replaced whole, leaving nothing else behind", "[atomic-file]") {
    test::TempDir folder;
    const fs::path target = folder / "sessions.json";

    replace_file_atomically(target, "first");
    CHECK(test::read_file(target) == "first");

    replace_file_atomically(target, std::string(1 << 20, 'x'));
    CHECK(test::read_file(target) == std::string(1 << 20, 'x'));

    replace_file_atomically(target, "");
    CHECK(test::read_file(target).empty());
    CHECK(names_in(folder.path()) == std::vector<std::string>{"sessions.json"});
}

TEST_CASE("the replaced file keeps its permissions", "[atomic-file]") {
    test::TempDir folder;
    const fs::path target = folder / "sessions.json";
    test::write_file(target, "old");
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write);
    const fs::perms before = fs::status(target).permissions();

    replace_file_atomically(target, "new");
    CHECK(fs::status(target).permissions() == before);
}

TEST_CASE("a failed replacement names the file and leaves it as it was", "[atomic-file]") {
    test::TempDir folder;
    CHECK_THROWS_WITH(replace_file_atomically(folder / "missing-folder" / "sessions.json", "x"),
                      Contains("cannot rewrite " + (folder / "missing-folder" / "sessions.json").string()));

    // A folder where the file should be: the rename fails, the folder and its content stay.
    const fs::path occupied = folder / "occupied";
    fs::create_directories(occupied / "inside");
    CHECK_THROWS_WITH(replace_file_atomically(occupied, "x"), Contains("cannot rewrite " + occupied.string()));
    CHECK(fs::is_directory(occupied / "inside"));
    CHECK(names_in(folder.path()) == std::vector<std::string>{"occupied"});
}

#ifndef _WIN32
TEST_CASE("permissions given for the new file are its own, whatever the umask", "[atomic-file]") {
    test::TempDir folder;
    const fs::path target = folder / "readable.prom";
    const mode_t old_umask = ::umask(0077);
    smbreaper::common::ReplaceOptions options;
    options.permissions =
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
    options.durable = false;  // the metrics textfile's way
    replace_file_atomically(target, "first", options);
    ::umask(old_umask);
    REQUIRE(test::read_file(target) == "first");
    REQUIRE(names_in(folder.path()) == std::vector<std::string>{"readable.prom"});
    REQUIRE((fs::status(target).permissions() & fs::perms::all) ==
            (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
}
#endif
