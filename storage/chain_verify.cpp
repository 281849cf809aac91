#include "storage/chain_verify.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "storage/audit_errors.h"
#include "storage/audit_row.h"
#include "storage/entry_hash.h"

namespace smbreaper::storage {
namespace {

// The checkpoint a `pruned` entry says it left behind.
struct PruneClaim {
    std::int64_t seq = 0;
    std::string hash;
};

std::optional<PruneClaim> prune_claim(const AuditRow& row) {
    if (row.text(AuditColumn::Kind) != "pruned") return std::nullopt;
    const auto details = nlohmann::json::parse(row.text(AuditColumn::DetailsJson), nullptr, false);
    if (!details.is_object() || !details.contains("pruned_through_seq") || !details.contains("pruned_through_hash") ||
        !details["pruned_through_seq"].is_number_integer() || !details["pruned_through_hash"].is_string()) {
        return PruneClaim{};  // a `pruned` entry that confirms nothing
    }
    return PruneClaim{details["pruned_through_seq"].get<std::int64_t>(),
                      details["pruned_through_hash"].get<std::string>()};
}

std::string missing_range(std::int64_t first, std::int64_t last) {
    return first == last ? "entry " + std::to_string(first) + " is missing"
                         : "entries " + std::to_string(first) + " to " + std::to_string(last) + " are missing";
}

// Why `row` does not follow the entry before it, or nothing when it does.
std::optional<std::string> misfit(const AuditRow& row, std::int64_t expected_seq, const std::string& prev_hash,
                                  const std::string& prev_name) {
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        if (const auto* foreign = std::get_if<ForeignValue>(&row.at(i))) {
            return "column " + std::string(column_name(i)) + " holds a " + foreign->type +
                   " value, which smbreaper never writes";
        }
    }
    const std::int64_t seq = row.integer(AuditColumn::Seq).value_or(0);
    if (seq < expected_seq) {
        return "the prune checkpoint says entries through " + std::to_string(expected_seq - 1) +
               " were removed, yet this one is still here";
    }
    if (seq != expected_seq) {
        return missing_range(expected_seq, seq - 1) +
               (expected_seq == 1 ? " and there is no prune checkpoint" : " (deleted from the middle of the chain)");
    }
    if (row.text(AuditColumn::PrevHash) != prev_hash) {
        return "its prev_hash does not match the hash of " + prev_name +
               ": an entry before it was removed, replaced or moved";
    }
    if (row.text(AuditColumn::Hash) != entry_hash(row)) {
        return "its contents do not match its hash: a column was changed after it was written";
    }
    return std::nullopt;
}

// The head record must name the last entry: otherwise the newest entries were deleted (or
// entries were added by something other than smbreaper).
std::optional<ChainBreak> check_head_record(SQLite::Database& db, const ChainHead& last) {
    SQLite::Statement query(db, "SELECT seq, hash FROM chain_head WHERE id = 1");
    if (!query.executeStep()) return ChainBreak{std::nullopt, "the head record (table chain_head) is missing"};
    const ChainHead recorded{query.getColumn(0).getInt64(), query.getColumn(1).getString()};
    if (recorded.seq > last.seq) {
        return ChainBreak{last.seq + 1, missing_range(last.seq + 1, recorded.seq) +
                                            ": the head record says the chain ends at entry " +
                                            std::to_string(recorded.seq) + " (the newest entries were deleted)"};
    }
    if (recorded.seq < last.seq) {
        return ChainBreak{recorded.seq + 1, "the head record says the chain ends at entry " +
                                                std::to_string(recorded.seq) +
                                                ": entries after it were added by "
                                                "something other than smbreaper"};
    }
    if (recorded.hash != last.hash) {
        return ChainBreak{last.seq, "the head record's hash differs from this entry's hash"};
    }
    return std::nullopt;
}

}  // namespace

VerifyResult verify_chain(const AuditStore& store, const std::optional<std::string>& anchor) {
    VerifyResult result;
    try {
        SQLite::Database& db = store.connection();
        // One read transaction, so the checkpoint, the entries and the head record all come from
        // the same snapshot even while another process appends. It writes nothing; leaving the
        // scope ends it.
        SQLite::Transaction snapshot(db);
        result.checkpoint = store.checkpoint();
        std::int64_t expected_seq = 1;
        std::string prev_name = "the chain's start (64 zeros)";
        result.head = ChainHead{0, std::string(kGenesisHash)};
        if (result.checkpoint) {
            expected_seq = result.checkpoint->seq + 1;
            prev_name = "the prune checkpoint";
            result.head = ChainHead{result.checkpoint->seq, result.checkpoint->hash};
            if (anchor == result.checkpoint->hash) result.anchor_seq = result.checkpoint->seq;
        }

        std::optional<PruneClaim> last_prune_claim;
        SQLite::Statement rows(db, "SELECT " + all_columns_sql() + " FROM audit_entry ORDER BY seq");
        while (rows.executeStep()) {
            const AuditRow row = read_row(rows);
            if (const auto why = misfit(row, expected_seq, result.head.hash, prev_name)) {
                result.problem = ChainBreak{row.integer(AuditColumn::Seq), *why};
                return result;
            }
            result.head = ChainHead{expected_seq, row.text(AuditColumn::Hash)};
            ++result.entries;
            if (auto claim = prune_claim(row)) last_prune_claim = std::move(claim);
            if (anchor == result.head.hash) result.anchor_seq = result.head.seq;
            prev_name = "entry " + std::to_string(expected_seq);
            ++expected_seq;
        }

        result.problem = check_head_record(db, result.head);
        if (result.problem) return result;

        const auto& checkpoint = result.checkpoint;
        if (checkpoint && (!last_prune_claim || last_prune_claim->seq != checkpoint->seq ||
                           last_prune_claim->hash != checkpoint->hash)) {
            result.problem =
                ChainBreak{checkpoint->seq, "the prune checkpoint (entries through " + std::to_string(checkpoint->seq) +
                                                " removed) is not the one the chain's last `pruned` entry records"};
            return result;
        }
        if (anchor && !result.anchor_seq) {
            result.problem = ChainBreak{std::nullopt, "the anchor " + *anchor +
                                                          " is not in the chain: it was rebuilt, or the anchored "
                                                          "entry was pruned or deleted"};
        }
        return result;
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the audit trail " + store.path().string() + ": " + e.what());
    }
}

}  // namespace smbreaper::storage
