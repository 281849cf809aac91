// `smbreaper run` refusing to start on an audit trail or a policy it cannot trust: damaged, not a
// database, on a read-only disk, or changeable by others. It closes nothing, says why, and the
// table is untouched.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "audit_test_support.h"
#include "fault_disks.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_store.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Outcome;

using namespace smbreaper;
using namespace smbreaper::test;

namespace {

struct Server {
    TempDir dir;
    std::filesystem::path policy = dir / "policy.yaml";

    explicit Server(const std::string& audit_db = "audit.db") {
        std::vector<SessionRecord> table;
        for (std::uint64_t id = 1; id <= 3; ++id) {
            SessionRecord s = sample_session(id, "user" + std::to_string(id), "10.0.0." + std::to_string(id));
            s.seconds_idle = id == 1 ? 7200 : 5;
            table.push_back(s);
        }
        write_file(dir / "table.json", to_windows_snapshot_json(table));
        write_file(policy, "version: 1\nsettings:\n  mode: enforce\n  source: snapshot:" +
                               (dir / "table.json").string() + "\n  audit_db: " + audit_db +
                               "\n  limits: {confirm_polls: 1}\nrules:\n"
                               "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    }
    CommandResult run_once() const {
        return run_smbreaper({"run", "--once", "--no-syslog", "--policy", policy.string()});
    }
    std::size_t sessions_left() const { return read_snapshot_file(dir / "table.json").sessions.size(); }
};

// A trail with enough entries to span several pages, every one of them in the main file.
void make_trail(const std::filesystem::path& db) {
    AuditStore store = AuditStore::open_for_writing(db);
    for (std::uint64_t id = 1; id <= 60; ++id) store.append(sample_closure(id, Outcome::WhatIf));
    run_sql(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

void overwrite(const std::filesystem::path& file, std::streamoff offset, const std::string& bytes) {
    std::fstream stream(file, std::ios::binary | std::ios::in | std::ios::out);
    stream.seekp(offset);
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(stream.good());
}

void require_refusal(const Server& server, const CommandResult& result, const std::string& why) {
    INFO(result.err);
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find(why) != std::string::npos);
    REQUIRE(server.sessions_left() == 3);
}

}  // namespace

TEST_CASE("a damaged audit trail is refused at start-up", "[faults][startup]") {
    Server server;
    make_trail(server.dir / "audit.db");
    overwrite(server.dir / "audit.db", 4096 * 2, std::string(512, '\xA5'));  // inside a b-tree page
    require_refusal(server, server.run_once(), "is damaged");
}

TEST_CASE("a file that is not a database, or a truncated one, is refused at start-up", "[faults][startup]") {
    Server server;
    write_file(server.dir / "audit.db", "this is not an audit trail\n");
    require_refusal(server, server.run_once(), "cannot open the audit trail");

    std::filesystem::remove(server.dir / "audit.db");
    make_trail(server.dir / "audit.db");
    std::filesystem::resize_file(server.dir / "audit.db", std::filesystem::file_size(server.dir / "audit.db") / 2);
    require_refusal(server, server.run_once(), "audit trail");
}

TEST_CASE("an audit trail on a read-only disk is refused at start-up", "[faults][startup]") {
    SmallDisk disk("4m");
    Server server((disk / "audit.db").string());
    make_trail(disk / "audit.db");
    disk.set_read_only(true);
    require_refusal(server, server.run_once(), "read-only");
}

TEST_CASE("a policy, an audit trail or a folder that others can write is refused at start-up",
          "[faults][startup][permissions]") {
    Server server;
    ::chmod(server.policy.c_str(), 0666);
    require_refusal(server, server.run_once(), "chmod go-w " + server.policy.string());
    ::chmod(server.policy.c_str(), 0644);

    make_trail(server.dir / "audit.db");
    ::chmod((server.dir / "audit.db").c_str(), 0646);
    require_refusal(server, server.run_once(),
                    "the audit trail " + (server.dir / "audit.db").string() + " is writable by everyone");
    ::chmod((server.dir / "audit.db").c_str(), 0644);

    ::chmod(server.dir.path().c_str(), 0775);
    require_refusal(server, server.run_once(), "the folder " + server.dir.path().string());
    ::chmod(server.dir.path().c_str(), 0755);

    const auto accepted = server.run_once();
    INFO(accepted.err);
    REQUIRE(accepted.exit_code == 0);
    REQUIRE(server.sessions_left() == 2);
}

TEST_CASE("a Samba program that others could replace is refused at start-up", "[faults][startup][permissions]") {
    Server server;
    const auto bin = server.dir / "bin";
    std::filesystem::create_directory(bin);
    const auto smbstatus = bin / "smbstatus";
    write_file(smbstatus, "#!/bin/sh\nexit 1\n");
    ::chmod(smbstatus.c_str(), 0777);
    write_file(server.policy,
               "version: 1\nsettings:\n  mode: enforce\n  source: samba\n  samba: {smbstatus: " + smbstatus.string() +
                   "}\n  audit_db: audit.db\nrules:\n"
                   "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    auto result = server.run_once();
    INFO(result.err);
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("cannot use the session source: the program " + smbstatus.string() +
                            " is writable by its group and everyone") != std::string::npos);

    ::chmod(smbstatus.c_str(), 0755);
    ::chmod(bin.c_str(), 0777);
    result = server.run_once();
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("the folder " + bin.string() + " on the path of the program") != std::string::npos);
}
