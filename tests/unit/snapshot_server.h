#pragma once

// A file server made of a snapshot file and an audit trail in a scratch folder, for the tests of
// `smbreaper sessions` and `smbreaper close`.

#include <string>
#include <vector>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"

namespace smbreaper::test {

inline sessions::SessionRecord table_row(std::uint64_t id, const std::string& user, const std::string& client) {
    sessions::SessionRecord s = sample_session(id, user, client);
    s.seconds_idle = static_cast<std::uint32_t>(id * 1000);
    return s;
}

struct SnapshotServer {
    TempDir dir;
    std::filesystem::path table = dir / "table.json";
    std::filesystem::path audit_db = dir / "audit.db";

    SnapshotServer()
        : SnapshotServer({table_row(1, "CORP\\alice", "10.0.5.21"), table_row(2, "CORP\\bob", "10.0.5.22"),
                          table_row(3, "CORP\\Alice", "LAB-7"), table_row(4, "CORP\\ext-frank", "10.0.9.3")}) {}
    explicit SnapshotServer(const std::vector<sessions::SessionRecord>& sessions) {
        write_file(table, to_windows_snapshot_json(sessions));
    }

    // --source snapshot:TABLE --audit-db AUDIT, then `arguments`.
    std::vector<std::string> with_source(const std::string& command, const std::vector<std::string>& arguments) const {
        std::vector<std::string> all{command, "--source", "snapshot:" + table.string()};
        if (command == "close") all.insert(all.end(), {"--audit-db", audit_db.string()});
        all.insert(all.end(), arguments.begin(), arguments.end());
        return all;
    }
    CommandResult run(const std::string& command, const std::vector<std::string>& arguments) const {
        return run_smbreaper(with_source(command, arguments));
    }

    std::vector<std::uint64_t> ids() const {
        std::vector<std::uint64_t> out;
        for (const sessions::SessionRecord& s : sessions::read_snapshot_file(table).sessions)
            out.push_back(s.session_id);
        return out;
    }
    std::vector<storage::AuditEntry> entries() const {
        std::vector<storage::AuditEntry> all;
        if (!std::filesystem::exists(audit_db)) return all;
        const storage::AuditStore store = storage::AuditStore::open_read_only(audit_db);
        for_each_entry(store, storage::EntryFilter{},
                       [&](const storage::AuditRow& row) { all.push_back(from_row(row)); });
        return all;
    }
    // "pending:1", "closed:1", ... for every closure entry.
    std::vector<std::string> outcomes() const {
        std::vector<std::string> out;
        for (const storage::AuditEntry& e : entries()) {
            if (e.outcome)
                out.push_back(std::string(to_string(*e.outcome)) + ":" + std::to_string(e.session->session_id));
        }
        return out;
    }
};

}  // namespace smbreaper::test
