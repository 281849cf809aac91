#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/audit_entry.h"
#include "storage/block_entry.h"

namespace SQLite {
class Database;
}

namespace smbreaper::storage {

// The newest entry of the chain: what the service writes to the system log each cycle so that a
// rebuilt chain can be caught later (`smbreaper audit verify --anchor HASH`).
struct ChainHead {
    std::int64_t seq = 0;  // 0 for an empty trail
    std::string hash;      // 64 zeros for an empty trail
};

// What prune left behind: the last removed entry's seq and hash, so the chain stays verifiable.
struct PruneCheckpoint {
    std::int64_t seq = 0;
    std::string hash;
    std::string pruned_at;  // when the prune ran
    std::string cutoff;     // entries older than this were removed
};

struct PruneResult {
    std::int64_t removed = 0;                   // 0 when nothing was old enough
    std::optional<PruneCheckpoint> checkpoint;  // the new checkpoint, when entries were removed
    std::optional<AuditEntry> pruned_entry;     // the `pruned` entry recording it
};

// The error a start-up resolution records for a closure whose outcome was never written.
inline constexpr std::string_view kInterruptedCloseError = "process ended during close; outcome unknown";

// The audit trail in one SQLite file: an append-only hash chain of entries (see docs/AUDIT.md).
//
// Durability: WAL journal, synchronous=FULL, and every write is one IMMEDIATE transaction: when
// append() returns, its entries are on disk. When it throws, none of them are. One object per
// thread; several processes may open the same file (writes are serialised by SQLite's lock).
class AuditStore {
public:
    struct Options {
        // How long a write waits for another process's lock before failing with AuditWriteError.
        std::chrono::milliseconds busy_timeout{5000};
        // Caps the database at this many pages (PRAGMA max_page_count); a write that needs more
        // fails as if the disk were full. Unset: no cap.
        std::optional<std::int64_t> max_page_count;
    };

    // Opens the trail for writing, creating the file if needed and upgrading an older schema.
    // Throws AuditWriteError when the file or its folder cannot be written (including read-only
    // files, a full disk, a lock held past the busy timeout, corruption), AuditSchemaError when
    // the file is not an audit trail this binary may use.
    static AuditStore open_for_writing(const std::filesystem::path& path, const Options& options);
    static AuditStore open_for_writing(const std::filesystem::path& path) { return open_for_writing(path, Options{}); }

    // Opens an existing trail for list, export and verify; never changes the file.
    // Throws AuditReadError (missing, unreadable, not SQLite) or AuditSchemaError (a newer schema,
    // or an older one that needs `smbreaper audit upgrade` first).
    static AuditStore open_read_only(const std::filesystem::path& path, const Options& options);
    static AuditStore open_read_only(const std::filesystem::path& path) { return open_read_only(path, Options{}); }

    AuditStore(AuditStore&&) noexcept;
    AuditStore& operator=(AuditStore&&) noexcept;
    ~AuditStore();

    // Appends the entries, in order, in one transaction, and returns them as stored (seq, time,
    // prev_hash and hash filled in). All or nothing: on AuditWriteError none was written.
    // Throws AuditEntryRejected (and writes nothing) for an entry that breaks the rules:
    // a closure needs an outcome and a session; an event has no outcome; an outcome entry
    // (resolves_entry set) must name an unresolved pending closure and not be pending itself;
    // time must be empty or in the stored form; policy_sha256 empty or 64 hex digits;
    // passthru_json and details_json empty or valid JSON; `pruned` entries are the store's own.
    std::vector<AuditEntry> append(std::vector<AuditEntry> entries);
    AuditEntry append(AuditEntry entry);

    // Appends the outcome entries (resolves_entry set) of closes this writer carried out, as
    // append() does, except that an outcome whose pending entry is no longer unresolved (another
    // writer resolved it meanwhile) is still written: unlinked, as a closure entry of its own whose
    // error names that pending entry. What happened to a session is never lost to a race.
    std::vector<AuditEntry> append_outcomes(std::vector<AuditEntry> outcomes);

    // Pending closures with no entry resolving them, oldest first: at start-up these are the
    // closes the previous process began but did not record the end of.
    std::vector<AuditEntry> unresolved_pending() const;

    // The incident blocks in force: block-set entries no block-lifted entry resolves, oldest
    // first, overdue ones included (the service lifts those). Throws AuditReadError.
    std::vector<Block> blocks_in_force() const;
    // Whether the trail holds any block-set entry: blocks have been used with it.
    bool has_block_history() const;
    // The seq of the newest block-set or block-lifted entry (0 when none): it changes whenever the
    // blocks do, even when a block is set and lifted again between two looks.
    std::int64_t last_block_change() const;

    // Appends, in one transaction, an outcome entry (`failed`, with `error`) for each of `pending`
    // that is still unresolved when the transaction starts, and returns those entries.
    std::vector<AuditEntry> resolve_interrupted(const std::vector<AuditEntry>& pending,
                                                std::string_view error = kInterruptedCloseError);

    // Removes the oldest entries, those written before `cutoff`, up to (not including) the first
    // entry that is newer or is an unresolved pending closure; replaces the checkpoint with the
    // last removed entry; and appends a `pruned` entry (host `host`, details naming the
    // checkpoint and `reason`) so that the checkpoint itself is covered by the chain.
    // All in one transaction. Nothing old enough: nothing changes, removed == 0.
    PruneResult prune_before(std::chrono::system_clock::time_point cutoff, const std::string& host,
                             const std::string& reason);

    ChainHead head() const;
    std::optional<PruneCheckpoint> checkpoint() const;

    // What this object has written since it was opened, for the metrics: the entries every kind
    // of write appended, and the writes the trail refused (none of their entries was written).
    struct WriteCounts {
        std::uint64_t entries_appended = 0;
        std::uint64_t refused_writes = 0;
    };
    const WriteCounts& write_counts() const { return write_counts_; }
    const std::filesystem::path& path() const { return path_; }
    bool writable() const { return writable_; }

    // The open connection, for the query and verify modules (read it, do not write through it).
    SQLite::Database& connection() const { return *db_; }

private:
    AuditStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db, bool writable);

    // Runs `body` in one IMMEDIATE transaction and commits it; SQLite failures become
    // AuditWriteError naming `what`.
    void write_transaction(std::string_view what, const std::function<void()>& body);

    // Validates, links and inserts entries; the caller holds the write transaction.
    std::vector<AuditEntry> append_in_transaction(std::vector<AuditEntry> entries);

    std::filesystem::path path_;
    std::unique_ptr<SQLite::Database> db_;
    bool writable_ = false;
    WriteCounts write_counts_;
    std::size_t appended_in_transaction_ = 0;  // set by append_in_transaction, counted on commit
};

}  // namespace smbreaper::storage
