// Opening the audit trail, its connection settings, and the transaction and error handling every
// write shares. Appending is in audit_append.cpp, pruning in audit_prune.cpp.
#include "storage/audit_store.h"

#include <thread>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <system_error>

#include "common/regular_file.h"
#include "storage/audit_errors.h"
#include "storage/audit_schema.h"

namespace smbreaper::storage {
using smbreaper::common::not_a_regular_file;

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

// "file:///var/lib/smbreaper/audit.db?immutable=1": SQLite's URI for reading a file it may not
// lock, with the characters URIs reserve percent-encoded.
std::string immutable_uri(const std::filesystem::path& path) {
    const std::string generic = std::filesystem::absolute(path).generic_string();
    std::string uri = generic.front() == '/' ? "file://" : "file:///";  // Windows: file:///C:/...
    for (const char c : generic) {
        if (c == '?' || c == '#' || c == '%') {
            static constexpr char hex[] = "0123456789ABCDEF";
            uri += '%';
            uri += hex[static_cast<unsigned char>(c) >> 4];
            uri += hex[c & 0xF];
        } else {
            uri += c;
        }
    }
    return uri + "?immutable=1";
}

// Opens a trail read-only and checks its schema. A WAL database needs its -shm file, which SQLite
// creates on first read; an account that may read the file but not write its folder (an
// auditor) cannot. When no -wal file exists either, every committed entry is in the main file,
// so it is read as immutable instead (without locks: a writer starting meanwhile is not seen).
std::unique_ptr<SQLite::Database> open_readable(const std::filesystem::path& path, int busy_ms) {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, busy_ms);
    try {
        db->execAndGet("PRAGMA user_version");
        return db;
    } catch (const SQLite::Exception& e) {
        const int code = e.getErrorCode() & 0xFF;
        std::error_code ignored;
        const bool wal_pending = std::filesystem::exists(path.string() + "-wal", ignored);
        if ((code != SQLITE_READONLY && code != SQLITE_CANTOPEN) || wal_pending) throw;
    }
    return std::make_unique<SQLite::Database>(immutable_uri(path), SQLite::OPEN_READONLY | SQLite::OPEN_URI, busy_ms);
}

// Every page of a damaged file is found now, not when an append happens to need it: a trail that
// cannot be trusted is refused before anything is closed on its word. quick_check reads each page
// once (about a second per few hundred MB) and skips only the index-to-table cross-checks.
void check_not_damaged(SQLite::Database& db, const std::filesystem::path& path) {
    SQLite::Statement check(db, "PRAGMA quick_check(1)");
    const std::string verdict = check.executeStep() ? check.getColumn(0).getString() : "no answer";
    if (verdict != "ok") {
        throw AuditWriteError("the audit trail " + path.string() + " is damaged (SQLite's quick_check: " + verdict +
                                  "); restore it from a backup, or move it aside to start a new trail",
                              SQLITE_CORRUPT);
    }
}

// Whether the file the connection has open is still the one at its path: SQLite keeps writing
// to a file that was deleted or replaced, where every entry would be lost with it.
bool file_has_moved(SQLite::Database& db) {
    int moved = 0;
    return sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved != 0;
}

}  // namespace

AuditStore::AuditStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db, bool writable)
    : path_(std::move(path)), db_(std::move(db)), writable_(writable) {}

AuditStore::AuditStore(AuditStore&&) noexcept = default;
AuditStore& AuditStore::operator=(AuditStore&&) noexcept = default;
AuditStore::~AuditStore() = default;

AuditStore AuditStore::open_for_writing(const std::filesystem::path& path, const Options& options) {
    if (auto problem = not_a_regular_file(path, "the audit trail")) throw AuditWriteError(*problem);
    const std::filesystem::path folder = path.parent_path().empty() ? "." : path.parent_path();
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) {
        throw AuditWriteError("cannot open the audit trail " + path.string() + ": the folder " + folder.string() +
                              " does not exist");
    }
    // Two processes opening a new trail at once (the service starting as an admin's `block`
    // creates it) can meet SQLITE_BUSY where SQLite calls no busy handler: switching a new file to
    // WAL. Such an open is tried again until the busy timeout has passed.
    const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
    for (;;) {
        try {
            auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                         busy_milliseconds(options));
            // SQLite silently opens a file it may not write read-only; that must fail here instead.
            if (sqlite3_db_readonly(db->getHandle(), "main") == 1) {
                throw AuditWriteError(
                    "cannot write the audit trail " + path.string() + ": the file is read-only for this account",
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
            check_not_damaged(*db, path);
            migrate_schema(*db, path);
            AuditStore store(path, std::move(db), true);
            // Take and release the write lock once, so that a folder where SQLite cannot create its
            // WAL files fails now rather than at the first closure.
            store.write_transaction("open", [] {});
            return store;
        } catch (const SQLite::Exception& e) {
            const int code = e.getErrorCode() & 0xFF;
            const bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
            if (!busy || std::chrono::steady_clock::now() >= deadline) throw write_error(path, "open", e);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

AuditStore AuditStore::open_read_only(const std::filesystem::path& path, const Options& options) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw AuditReadError("no audit trail at " + path.string() + (error ? ": " + error.message() : ""));
    }
    if (auto problem = not_a_regular_file(path, "the audit trail")) throw AuditReadError(*problem);
    try {
        auto db = open_readable(path, busy_milliseconds(options));
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
    appended_in_transaction_ = 0;
    try {
        SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        if (file_has_moved(*db_)) {
            throw AuditWriteError("cannot " + std::string(what) + " the audit trail " + path_.string() +
                                      ": the file was deleted, renamed or replaced while open, so what is written "
                                      "now would not be in it; put the file back, or restart the service to start "
                                      "a new trail there",
                                  SQLITE_IOERR);
        }
        body();
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        ++write_counts_.refused_writes;
        throw write_error(path_, what, e);
    } catch (...) {
        ++write_counts_.refused_writes;
        throw;
    }
    write_counts_.entries_appended += appended_in_transaction_;
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

}  // namespace smbreaper::storage
