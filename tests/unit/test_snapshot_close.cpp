#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <thread>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"

using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::sessions::to_windows_snapshot_json;

using namespace smbreaper;
using test::TempDir;

namespace {

std::vector<std::uint64_t> ids_in(const std::filesystem::path& file) {
    std::vector<std::uint64_t> ids;
    for (const SessionRecord& s : read_snapshot_file(file).sessions) ids.push_back(s.session_id);
    return ids;
}

ino_t inode_of(const std::filesystem::path& file) {
    struct stat status {};
    REQUIRE(stat(file.c_str(), &status) == 0);
    return status.st_ino;
}

}  // namespace

TEST_CASE("closing a snapshot session replaces the file atomically without it", "[snapshot]") {
    TempDir dir;
    const auto file = dir / "table.json";
    test::write_file(file, to_windows_snapshot_json({test::sample_session(1), test::sample_session(2)}));
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                           std::filesystem::perms::group_read);
    const ino_t before = inode_of(file);
    SnapshotSessionTable table(file);

    const CloseResult result = table.close(test::sample_session(1));
    CHECK(result.outcome == CloseOutcome::Closed);
    CHECK(ids_in(file) == std::vector<std::uint64_t>{2});
    // A new file renamed over the old one (readers see the old or the new, never a half), with
    // the old one's permissions, and no temporary file left beside it.
    CHECK(inode_of(file) != before);
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
           std::filesystem::perms::group_read));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);

    CHECK(table.close(test::sample_session(1)).outcome == CloseOutcome::Vanished);
}

TEST_CASE("closing one session of a shared connection ends its companions, as Samba would", "[snapshot]") {
    TempDir dir;
    const auto file = dir / "table.json";
    SessionRecord a = test::sample_session(1), b = test::sample_session(2, "CORP\\bob"), c = test::sample_session(3);
    a.samba_server_id = b.samba_server_id = SambaServerId{4242, 0xFFFFFFFFu, 7};
    c.samba_server_id = SambaServerId{4343, 0xFFFFFFFFu, 8};
    test::write_file(file, to_windows_snapshot_json({a, b, c}));
    SnapshotSessionTable table(file);
    CHECK(table.close(a).outcome == CloseOutcome::Closed);
    CHECK(ids_in(file) == std::vector<std::uint64_t>{3});
}

TEST_CASE("closes from several threads at once are all applied", "[snapshot]") {
    TempDir dir;
    const auto file = dir / "table.json";
    std::vector<SessionRecord> sessions;
    for (std::uint64_t id = 1; id <= 24; ++id)
        sessions.push_back(test::sample_session(id, "user" + std::to_string(id)));
    test::write_file(file, to_windows_snapshot_json(sessions));
    SnapshotSessionTable table(file);
    std::vector<std::thread> threads;
    std::atomic<int> closed{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (std::size_t i = static_cast<std::size_t>(t); i < 20; i += 4) {
                if (table.close(sessions[i]).outcome == CloseOutcome::Closed) ++closed;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(closed == 20);
    CHECK(ids_in(file) == std::vector<std::uint64_t>{21, 22, 23, 24});
}
