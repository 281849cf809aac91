// Opening the audit trail, its connection settings, and the transaction and error handling every
// write shares. Appending is in audit_append.cpp, pruning in audit_prune.cpp.
#include "storage/audit_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <system_error>

#include "storage/audit_errors.h"
#include "storage/audit_schema.h"

namespace smbreaper {
namespace {

// A hint for the SQLite failures an operator can do something about.
std::string_view hint_for(int primary_code) {
    switch (primary_code) {
        case SQLITE_FULL: return "the disk, or the database's size cap, is full";
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_AUTH: return "the file and its folder must be writable by this account";
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return "another process kept the database locked past the busy timeout";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return "the file is damaged or is not an audit trail";
        case SQLITE_IOERR: return "the operating system reported an I/O error";
        default: return {};
    }
}

AuditWriteError write_error(const std::filesystem::path& path, std::string_view what, const SQLite::Exception& e) {
    std::string message = "cannot " + std::string(what) + " the audit trail " + path.string() + ": " + e.what();
    const std::string_view hint = hint_for(e.getErrorCode() & 0xFF);
    if (!hint.empty()) message += " (" + std::string(hint) + ")";
    return AuditWriteError(message, e.getExtendedErrorCode());
}

int busy_milliseconds(const AuditStore::Options& options) { return static_cast<int>(options.busy_timeout.count()); }

}  // namespace

AuditStore::AuditStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db, bool writable)
    : path_(std::move(path)), db_(std::move(db)), writable_(writable) {}

AuditStore::AuditStore(AuditStore&&) noexcept = default;
AuditStore& AuditStore::operator=(AuditStore&&) noexcept = default;
AuditStore::~AuditStore() = default;

AuditStore AuditStore::open_for_writing(const std::filesystem::path& path, const Options& options) {
    try {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                     busy_milliseconds(options));
        // SQLite silently opens a file it may not write read-only; that must fail here instead.
        if (sqlite3_db_readonly(db->getHandle(), "main") == 1) {
            throw AuditWriteError("cannot write the audit trail " + path.string() +
                                      ": the file is read-only for this account",
                                  SQLITE_READONLY);
        }
        const std::string journal_mode = db->execAndGet("PRAGMA journal_mode = WAL").getString();
        if (journal_mode != "wal") {
            throw AuditWriteError("cannot switch the audit trail " + path.string() +
                                  " to WAL (its journal mode stays '" + journal_mode + "')");
        }
        // FULL: a commit is synced to disk before it returns; a closure must survive a power cut.
        db->exec("PRAGMA synchronous = FULL");
        if (options.max_page_count) db->exec("PRAGMA max_page_count = " + std::to_string(*options.max_page_count));
        migrate_schema(*db, path);
        AuditStore store(path, std::move(db), true);
        // Take and release the write lock once, so that a folder where SQLite cannot create its
        // WAL files fails now rather than at the first closure.
        store.write_transaction("open", [] {});
        return store;
    } catch (const SQLite::Exception& e) {
        throw write_error(path, "open", e);
    }
}

AuditStore AuditStore::open_read_only(const std::filesystem::path& path, const Options& options) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw AuditReadError("no audit trail at " + path.string() + (error ? ": " + error.message() : ""));
    }
    try {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, busy_milliseconds(options));
        const int version = read_schema_version(*db, path);
        if (version == 0) throw AuditSchemaError(path.string() + " holds no audit trail (an empty database)");
        if (version < kAuditSchemaVersion) {
            throw AuditSchemaError(path.string() + " has audit schema version " + std::to_string(version) +
                                   ", older than this smbreaper's " + std::to_string(kAuditSchemaVersion) +
                                   "; upgrade it in place with `smbreaper audit upgrade --db " + path.string() +
                                   "` (the service also does so when it starts)");
        }
        return AuditStore(path, std::move(db), false);
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the audit trail " + path.string() + ": " + e.what());
    }
}

void AuditStore::write_transaction(std::string_view what, const std::function<void()>& body) {
    if (!writable_) throw AuditWriteError("the audit trail " + path_.string() + " was opened read-only");
    try {
        SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        body();
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        throw write_error(path_, what, e);
    }
}

ChainHead AuditStore::head() const {
    try {
        SQLite::Statement query(*db_, "SELECT seq, hash FROM chain_head WHERE id = 1");
        if (!query.executeStep()) {
            throw AuditReadError("the audit trail " + path_.string() +
                                 " has no head record (chain_head is empty): run `smbreaper audit verify`");
        }
        return ChainHead{query.getColumn(0).getInt64(), query.getColumn(1).getString()};
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the head of the audit trail " + path_.string() + ": " + e.what());
    }
}

std::optional<PruneCheckpoint> AuditStore::checkpoint() const {
    try {
        SQLite::Statement query(*db_, "SELECT seq, hash, pruned_at, cutoff FROM prune_checkpoint WHERE id = 1");
        if (!query.executeStep()) return std::nullopt;
        return PruneCheckpoint{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                               query.getColumn(2).getString(), query.getColumn(3).getString()};
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the prune checkpoint of " + path_.string() + ": " + e.what());
    }
}

}  // namespace smbreaper
