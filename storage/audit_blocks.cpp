// The incident blocks in force, read from the trail (storage/block_entry.h).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/audit_errors.h"
#include "storage/audit_row.h"
#include "storage/audit_store.h"

namespace smbreaper::storage {

std::vector<Block> AuditStore::blocks_in_force() const {
    try {
        // `kind = 'block-set'` lets SQLite use the partial index audit_entry_blocks.
        SQLite::Statement query(*db_, "SELECT " + all_columns_sql() +
                                          " FROM audit_entry AS block"
                                          " WHERE kind = 'block-set' AND NOT EXISTS"
                                          " (SELECT 1 FROM audit_entry AS later WHERE later.resolves_entry = block.seq)"
                                          " ORDER BY seq");
        std::vector<Block> blocks;
        while (query.executeStep()) {
            const AuditEntry entry = from_row(read_row(query));
            std::optional<Block> block = block_of(entry);
            if (!block) {
                throw AuditReadError("block-set entry " + std::to_string(entry.seq) + " of " + path_.string() +
                                     " does not say what it blocks or until when; run `smbreaper audit verify`");
            }
            blocks.push_back(std::move(*block));
        }
        return blocks;
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the blocks in force from " + path_.string() + ": " + e.what());
    }
}

bool AuditStore::has_block_history() const {
    try {
        return db_->execAndGet("SELECT EXISTS (SELECT 1 FROM audit_entry WHERE kind = 'block-set')").getInt() != 0;
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the blocks of " + path_.string() + ": " + e.what());
    }
}

std::int64_t AuditStore::last_block_change() const {
    try {
        // Both through indexes: the block-set entries (audit_entry_blocks), and the entries
        // resolving one (audit_entry_resolves).
        return db_
            ->execAndGet(
                "SELECT coalesce(max(seq), 0) FROM ("
                " SELECT max(seq) AS seq FROM audit_entry WHERE kind = 'block-set'"
                " UNION ALL SELECT max(lift.seq) FROM audit_entry AS block"
                " JOIN audit_entry AS lift ON lift.resolves_entry = block.seq WHERE block.kind = 'block-set')")
            .getInt64();
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the blocks of " + path_.string() + ": " + e.what());
    }
}

}  // namespace smbreaper::storage
