// The write protocol: appending entries to the chain, and resolving pending closures.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include "common/sha256.h"
#include "common/utc_time.h"
#include "storage/audit_errors.h"
#include "storage/audit_row.h"
#include "storage/audit_store.h"
#include "storage/entry_hash.h"

namespace smbreaper::storage {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::is_canonical_timestamp;
using smbreaper::common::is_sha256_hex;

namespace {

[[noreturn]] void reject(std::size_t index, const AuditEntry& entry, const std::string& problem) {
    throw AuditEntryRejected("audit entry " + std::to_string(index + 1) + " (" + std::string(to_string(entry.kind)) +
                             "): " + problem);
}

bool is_empty_or_json(const std::string& text) { return text.empty() || nlohmann::json::accept(text); }

// The rules an entry must follow on its own (see AuditStore::append).
void check_entry(std::size_t index, const AuditEntry& e) {
    const bool closure = e.kind == EntryKind::Closure;
    if (closure && !e.outcome) reject(index, e, "a closure needs an outcome");
    if (closure && !e.session) reject(index, e, "a closure needs the session's columns");
    if (!closure && e.outcome) reject(index, e, "only closures have an outcome");
    const bool lift = e.kind == EntryKind::BlockLifted;
    if (e.resolves_entry && !lift && (!closure || e.outcome == Outcome::Pending)) {
        reject(index, e, "only a closure's final outcome or a block's lifting can resolve an entry");
    }
    if (lift && !e.resolves_entry) reject(index, e, "a block-lifted entry names its block-set entry");
    if (!e.time.empty() && !is_canonical_timestamp(e.time)) {
        reject(index, e, "time '" + e.time + "' is not in the form 2024-05-01T12:34:56.789Z");
    }
    if (!e.policy_sha256.empty() && !is_sha256_hex(e.policy_sha256)) {
        reject(index, e, "policy_sha256 must be 64 lowercase hex digits");
    }
    if (!is_empty_or_json(e.passthru_json)) reject(index, e, "passthru_json is not valid JSON");
    if (!is_empty_or_json(e.details_json)) reject(index, e, "details_json is not valid JSON");
}

enum class PendingState { NotPending, Unresolved, Resolved };

// Whether entry `seq` is one that `resolver` can resolve (a pending closure for a closure's
// outcome, a block-set entry for a block-lifted one), and whether something already resolves it.
PendingState pending_state(SQLite::Database& db, std::int64_t seq, EntryKind resolver = EntryKind::Closure) {
    SQLite::Statement query(
        db,
        "SELECT CASE WHEN ?2 THEN kind = 'block-set' ELSE kind = 'closure' AND outcome = 'pending' END, "
        "EXISTS (SELECT 1 FROM audit_entry WHERE resolves_entry = ?1) "
        "FROM audit_entry WHERE seq = ?1");
    query.bind(1, seq);
    query.bind(2, resolver == EntryKind::BlockLifted ? 1 : 0);
    if (!query.executeStep() || query.getColumn(0).getInt() == 0) return PendingState::NotPending;
    return query.getColumn(1).getInt() != 0 ? PendingState::Resolved : PendingState::Unresolved;
}

}  // namespace

std::vector<AuditEntry> AuditStore::append(std::vector<AuditEntry> entries) {
    if (entries.empty()) return entries;
    try {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].kind == EntryKind::Pruned) reject(i, entries[i], "only prune writes `pruned` entries");
            check_entry(i, entries[i]);
        }
    } catch (const AuditEntryRejected&) {
        ++write_counts_.refused_writes;
        throw;
    }
    write_transaction("append to", [&] { entries = append_in_transaction(std::move(entries)); });
    return entries;
}

std::vector<AuditEntry> AuditStore::append_outcomes(std::vector<AuditEntry> outcomes) {
    if (outcomes.empty()) return outcomes;
    try {
        for (std::size_t i = 0; i < outcomes.size(); ++i) check_entry(i, outcomes[i]);
    } catch (const AuditEntryRejected&) {
        ++write_counts_.refused_writes;
        throw;
    }
    write_transaction("append outcomes to", [&] {
        std::set<std::int64_t> resolved_here;
        for (AuditEntry& outcome : outcomes) {
            if (!outcome.resolves_entry) continue;
            const std::int64_t target = *outcome.resolves_entry;
            if (pending_state(*db_, target) == PendingState::Unresolved && resolved_here.insert(target).second)
                continue;
            outcome.resolves_entry.reset();
            const std::string note =
                "its pending entry " + std::to_string(target) + " had been resolved by another writer";
            outcome.error = outcome.error.empty() ? note : outcome.error + "; " + note;
        }
        outcomes = append_in_transaction(std::move(outcomes));
    });
    return outcomes;
}

AuditEntry AuditStore::append(AuditEntry entry) {
    std::vector<AuditEntry> one;
    one.push_back(std::move(entry));
    return std::move(append(std::move(one)).front());
}

std::vector<AuditEntry> AuditStore::append_in_transaction(std::vector<AuditEntry> entries) {
    SQLite::Database& db = *db_;
    SQLite::Statement head_query(db, "SELECT seq, hash FROM chain_head WHERE id = 1");
    if (!head_query.executeStep()) {
        throw AuditWriteError("the audit trail " + path_.string() +
                              " has lost its head record (chain_head is empty), so new entries cannot be "
                              "linked: run `smbreaper audit verify` and see docs/AUDIT.md");
    }
    std::int64_t seq = head_query.getColumn(0).getInt64();
    std::string prev_hash = head_query.getColumn(1).getString();
    head_query.reset();

    const std::string now = format_utc_timestamp(std::chrono::system_clock::now());
    std::string placeholders = "?";
    for (std::size_t i = 1; i < kAuditColumnCount; ++i) placeholders += ", ?";
    SQLite::Statement insert(db, "INSERT INTO audit_entry (" + all_columns_sql() + ") VALUES (" + placeholders + ")");

    // Entries of this same batch that a later one may resolve (pending closures, blocks), whether
    // each is a block, and whether the batch resolves it as it goes.
    struct Resolvable {
        bool block = false;
        bool resolved = false;
    };
    std::map<std::int64_t, Resolvable> batch_resolvable;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        AuditEntry& entry = entries[i];
        if (entry.resolves_entry) {
            const std::int64_t target = *entry.resolves_entry;
            const bool lift = entry.kind == EntryKind::BlockLifted;
            const auto in_batch = batch_resolvable.find(target);
            PendingState state = PendingState::NotPending;
            if (in_batch == batch_resolvable.end()) {
                state = pending_state(db, target, entry.kind);
            } else if (in_batch->second.block == lift) {
                state = in_batch->second.resolved ? PendingState::Resolved : PendingState::Unresolved;
            }
            if (state == PendingState::NotPending) {
                reject(i, entry,
                       "resolves_entry " + std::to_string(target) +
                           (lift ? " is not a block" : " is not a pending closure"));
            }
            if (state == PendingState::Resolved) {
                reject(i, entry,
                       (lift ? "block " : "pending entry ") + std::to_string(target) + " is already resolved");
            }
            batch_resolvable[target] = {lift, true};
        }

        entry.seq = ++seq;
        if (entry.time.empty()) entry.time = now;
        entry.prev_hash = prev_hash;
        entry.hash.clear();
        AuditRow row = to_row(entry);
        entry.hash = entry_hash(row);
        row[AuditColumn::Hash] = entry.hash;

        insert.reset();
        insert.clearBindings();
        bind_row(insert, row);
        insert.exec();

        if (entry.outcome == Outcome::Pending) batch_resolvable[entry.seq] = {false, false};
        if (entry.kind == EntryKind::BlockSet) batch_resolvable[entry.seq] = {true, false};
        prev_hash = entry.hash;
    }

    SQLite::Statement move_head(db, "UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1");
    move_head.bind(1, seq);
    move_head.bind(2, prev_hash);
    move_head.exec();
    appended_in_transaction_ += entries.size();
    return entries;
}

std::vector<AuditEntry> AuditStore::unresolved_pending() const {
    try {
        SQLite::Statement query(*db_,
                                "SELECT " + all_columns_sql() +
                                    " FROM audit_entry AS pending"
                                    " WHERE kind = 'closure' AND outcome = 'pending' AND NOT EXISTS"
                                    " (SELECT 1 FROM audit_entry AS later WHERE later.resolves_entry = pending.seq)"
                                    " ORDER BY seq");
        std::vector<AuditEntry> pending;
        while (query.executeStep()) pending.push_back(from_row(read_row(query)));
        return pending;
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read pending entries from " + path_.string() + ": " + e.what());
    }
}

std::vector<AuditEntry> AuditStore::resolve_interrupted(const std::vector<AuditEntry>& pending,
                                                        std::string_view error) {
    std::vector<AuditEntry> resolved;
    write_transaction("resolve pending entries in", [&] {
        std::vector<AuditEntry> outcomes;
        std::set<std::int64_t> seen;
        for (const AuditEntry& entry : pending) {
            // Another process may have resolved it since the caller listed it: skip those.
            if (seen.insert(entry.seq).second && pending_state(*db_, entry.seq) == PendingState::Unresolved) {
                outcomes.push_back(outcome_entry(entry, Outcome::Failed, std::string(error)));
            }
        }
        resolved = append_in_transaction(std::move(outcomes));
    });
    return resolved;
}

}  // namespace smbreaper::storage
