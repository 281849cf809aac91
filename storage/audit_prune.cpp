// Retention: removing the oldest entries while keeping the chain verifiable.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "common/json_writer.h"
#include "common/utc_time.h"
#include "storage/audit_errors.h"
#include "storage/audit_schema.h"
#include "storage/audit_store.h"

namespace smbreaper::storage {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::JsonWriter;

namespace {

// The seq of the newest entry prune may remove: the one before the first entry that is at or
// after the cutoff, or that is a pending closure nobody has resolved yet (its outcome is still
// open, so it must stay), or a block still in force (the entry is the block). Every entry before
// it is older than the cutoff by construction.
std::int64_t last_prunable_seq(SQLite::Database& db, const std::string& cutoff, std::int64_t head_seq) {
    SQLite::Statement query(db,
                            "SELECT min(seq) FROM audit_entry AS entry WHERE time >= ?1"
                            " OR (((kind = 'closure' AND outcome = 'pending') OR kind = 'block-set') AND NOT EXISTS"
                            "     (SELECT 1 FROM audit_entry AS later WHERE later.resolves_entry = entry.seq))");
    query.bind(1, cutoff);
    query.executeStep();
    return query.getColumn(0).isNull() ? head_seq : query.getColumn(0).getInt64() - 1;
}

std::string pruned_details(const PruneCheckpoint& checkpoint, std::int64_t removed, const std::string& reason) {
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    json.key("pruned_through_seq").value(checkpoint.seq);
    json.key("pruned_through_hash").value(checkpoint.hash);
    json.key("removed").value(removed);
    json.key("cutoff").value(checkpoint.cutoff);
    json.key("reason").value(reason);
    json.end_object();
    return out;
}

}  // namespace

PruneResult AuditStore::prune_before(std::chrono::system_clock::time_point cutoff, const std::string& host,
                                     const std::string& reason) {
    PruneResult result;
    const std::string cutoff_text = format_utc_timestamp(cutoff);
    write_transaction("prune", [&] {
        SQLite::Database& db = *db_;
        const std::int64_t head_seq = db.execAndGet("SELECT seq FROM chain_head WHERE id = 1").getInt64();
        const std::int64_t previous_checkpoint =
            db.execAndGet("SELECT coalesce(max(seq), 0) FROM prune_checkpoint").getInt64();
        const std::int64_t last_removed = last_prunable_seq(db, cutoff_text, head_seq);
        if (last_removed <= previous_checkpoint) return;

        SQLite::Statement last(db, "SELECT hash FROM audit_entry WHERE seq = ?");
        last.bind(1, last_removed);
        if (!last.executeStep()) {
            throw AuditWriteError("cannot prune " + path_.string() + ": entry " + std::to_string(last_removed) +
                                  " is missing; run `smbreaper audit verify`");
        }
        PruneCheckpoint checkpoint{last_removed, last.getColumn(0).getString(),
                                   format_utc_timestamp(std::chrono::system_clock::now()), cutoff_text};
        last.reset();

        db.exec("DROP TRIGGER IF EXISTS audit_entry_no_delete");
        SQLite::Statement remove(db, "DELETE FROM audit_entry WHERE seq <= ?");
        remove.bind(1, last_removed);
        const std::int64_t removed = remove.exec();
        db.exec(kForbidDeleteTriggerSql);

        SQLite::Statement keep(db,
                               "INSERT OR REPLACE INTO prune_checkpoint (id, seq, hash, pruned_at, cutoff)"
                               " VALUES (1, ?, ?, ?, ?)");
        keep.bind(1, checkpoint.seq);
        keep.bind(2, checkpoint.hash);
        keep.bind(3, checkpoint.pruned_at);
        keep.bind(4, checkpoint.cutoff);
        keep.exec();

        AuditEntry entry = event_entry(EntryKind::Pruned, pruned_details(checkpoint, removed, reason));
        entry.host = host;
        entry.time = checkpoint.pruned_at;
        std::vector<AuditEntry> written;
        written.push_back(std::move(entry));
        result.pruned_entry = std::move(append_in_transaction(std::move(written)).front());
        result.removed = removed;
        result.checkpoint = std::move(checkpoint);
    });
    return result;
}

}  // namespace smbreaper::storage
