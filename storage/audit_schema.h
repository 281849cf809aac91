#pragma once

#include <cstdint>
#include <filesystem>

namespace SQLite {
class Database;
}

namespace smbreaper::storage {

// The schema this binary writes and reads, kept in SQLite's `PRAGMA user_version`.
//   1: audit_entry and prune_checkpoint
//   2: chain_head (the last entry's seq and hash), append-only triggers, query indexes
//   3: an index of the block-set entries (the blocks in force are read every cycle)
inline constexpr int kAuditSchemaVersion = 3;

// `PRAGMA application_id` of an audit trail: "SMBR".
inline constexpr std::int32_t kAuditApplicationId = 0x534D4252;

// The file's schema version: 0 for an empty database. Throws AuditSchemaError when the file is
// another program's database or was written by a newer smbreaper. SQLite errors pass through.
int read_schema_version(SQLite::Database& db, const std::filesystem::path& path);

// Brings an empty or older database to kAuditSchemaVersion, one version per transaction, so a
// failure leaves it at the last complete version. Safe when several processes open it at once.
// Throws AuditSchemaError (see read_schema_version); SQLite errors pass through to the caller.
void migrate_schema(SQLite::Database& db, const std::filesystem::path& path);

// The trigger that makes entries undeletable. Prune drops it and runs this again inside its
// own transaction, so no other connection ever sees the table without it.
extern const char* const kForbidDeleteTriggerSql;

}  // namespace smbreaper::storage
