#include "storage/audit_schema.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <string>

#include "storage/audit_errors.h"

namespace smbreaper::storage {

const char* const kForbidDeleteTriggerSql = R"sql(
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only; old entries are removed with: smbreaper audit prune');
END;
)sql";

namespace {

// Version 1: the entries and the prune checkpoint. Column order is the hash order (audit_row.h).
void migrate_to_v1(SQLite::Database& db) {
    db.exec("PRAGMA application_id = " + std::to_string(kAuditApplicationId));
    db.exec(R"sql(
CREATE TABLE audit_entry (
    seq                INTEGER PRIMARY KEY,
    time               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    host               TEXT,
    source             TEXT,
    mode               TEXT,
    rule               TEXT,
    action             TEXT,
    outcome            TEXT,
    error              TEXT,
    policy_sha256      TEXT,
    SessionId          TEXT,
    ClientComputerName TEXT,
    ClientUserName     TEXT,
    ScopeName          TEXT,
    ClusterNodeName    TEXT,
    SmbInstance        TEXT,
    NumOpens           INTEGER,
    SecondsIdle        INTEGER,
    SecondsExists      INTEGER,
    Dialect            TEXT,
    TransportName      TEXT,
    passthru_json      TEXT,
    details_json       TEXT,
    resolves_entry     INTEGER,
    prev_hash          TEXT NOT NULL,
    hash               TEXT NOT NULL
);
CREATE TABLE prune_checkpoint (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    pruned_at TEXT NOT NULL,
    cutoff    TEXT NOT NULL
);
)sql");
}

// Version 2: a head record so that deleting the newest entries is noticed, triggers that refuse
// UPDATE and DELETE on entries, and indexes for the common filters.
void migrate_to_v2(SQLite::Database& db) {
    db.exec(R"sql(
CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash)
    SELECT 1, seq, hash FROM (
        SELECT seq, hash FROM audit_entry
        UNION ALL SELECT seq, hash FROM prune_checkpoint
        UNION ALL SELECT 0, '0000000000000000000000000000000000000000000000000000000000000000'
    ) ORDER BY seq DESC LIMIT 1;
CREATE INDEX audit_entry_time ON audit_entry (time);
CREATE INDEX audit_entry_session ON audit_entry (SessionId);
CREATE INDEX audit_entry_resolves ON audit_entry (resolves_entry) WHERE resolves_entry IS NOT NULL;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
)sql");
    db.exec(kForbidDeleteTriggerSql);
}

// Version 3: the blocks in force are the block-set entries no block-lifted entry resolves; this
// index finds them without reading the whole trail.
void migrate_to_v3(SQLite::Database& db) {
    db.exec("CREATE INDEX audit_entry_blocks ON audit_entry (seq) WHERE kind = 'block-set'");
}

using MigrationStep = void (*)(SQLite::Database&);

// kMigrations[i] takes a database from version i to version i + 1.
constexpr MigrationStep kMigrations[] = {&migrate_to_v1, &migrate_to_v2, &migrate_to_v3};
static_assert(std::size(kMigrations) == kAuditSchemaVersion, "one migration step per schema version");

}  // namespace

int read_schema_version(SQLite::Database& db, const std::filesystem::path& path) {
    // One statement, so one snapshot: read one field at a time, a file another process is
    // creating can show the application id of its first version with the user version of none.
    SQLite::Statement header(db,
                             "SELECT (SELECT user_version FROM pragma_user_version),"
                             " (SELECT application_id FROM pragma_application_id),"
                             " (SELECT count(*) FROM sqlite_master WHERE type = 'table')");
    header.executeStep();
    const int version = header.getColumn(0).getInt();
    const int application_id = header.getColumn(1).getInt();
    const bool has_tables = header.getColumn(2).getInt() > 0;
    const bool ours = application_id == kAuditApplicationId;
    if ((version == 0 && (application_id != 0 || has_tables)) || (version != 0 && !ours)) {
        throw AuditSchemaError(path.string() + " is an SQLite database, but not an smbreaper audit trail");
    }
    if (version > kAuditSchemaVersion) {
        throw AuditSchemaError(path.string() + " has audit schema version " + std::to_string(version) +
                               ", written by a newer smbreaper; this one understands versions up to " +
                               std::to_string(kAuditSchemaVersion) + ": upgrade smbreaper to use it");
    }
    return version;
}

void migrate_schema(SQLite::Database& db, const std::filesystem::path& path) {
    if (read_schema_version(db, path) == kAuditSchemaVersion) return;
    for (int target = 1; target <= kAuditSchemaVersion; ++target) {
        // IMMEDIATE takes the write lock first, so two processes opening an old file at the same
        // time cannot both run a step: the second one re-reads the version and skips it.
        SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
        if (read_schema_version(db, path) >= target) continue;
        kMigrations[target - 1](db);
        db.exec("PRAGMA user_version = " + std::to_string(target));
        transaction.commit();
    }
}

}  // namespace smbreaper::storage
