#include "service/blocking/block_keeper.h"

#include <algorithm>

#include "common/case_folding.h"
#include "service/closing/trail_lock.h"
#include "storage/audit_errors.h"

namespace smbreaper::blocking {
using smbreaper::closing::TrailLock;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::describe;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditEntryRejected;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Block;
using smbreaper::storage::block_lifted_entry;
using smbreaper::storage::block_of;
using smbreaper::storage::block_set_entry;
using smbreaper::storage::LiftCause;

namespace {

// How long a command waits for another process changing blocks; the service waits less and
// tries again next cycle.
constexpr std::chrono::seconds kCommandLockWait{30};
constexpr std::chrono::seconds kServiceLockWait{2};

// Users compared as the server compares account names, without regard to case.
bool same_target(const BlockTarget& a, const BlockTarget& b) {
    if (a.kind != b.kind) return false;
    return a.kind == BlockKind::User ? common::fold_case(a.name) == common::fold_case(b.name) : a.name == b.name;
}

std::vector<BlockTarget> targets_of(const std::vector<Block>& blocks) {
    std::vector<BlockTarget> targets;
    targets.reserve(blocks.size());
    for (const Block& block : blocks) targets.push_back(block.target);
    return targets;
}

}  // namespace

BlockKeeper::BlockKeeper(SessionTable& table, AuditStore& audit, BlockEntryContext context)
    : table_(table), audit_(audit), context_(std::move(context)) {}

AuditEntry BlockKeeper::stamped(AuditEntry entry) const {
    entry.host = context_.host;
    entry.source = table_.name();
    entry.policy_sha256 = context_.policy_sha256;
    return entry;
}

std::vector<std::string> BlockKeeper::enforce(const std::vector<Block>& in_force) {
    const std::int64_t change = audit_.last_block_change();
    std::vector<std::string> warnings = table_.enforce_blocks(targets_of(in_force));
    enforced_at_change_ = change;
    return warnings;
}

BlockKeeper::SetResult BlockKeeper::set(const std::vector<BlockTarget>& targets,
                                        std::chrono::system_clock::time_point expires_at, const std::string& reason,
                                        const std::string& set_by, const std::string& who_json) {
    const TrailLock lock(audit_.path(), TrailLock::Purpose::Blocks, kCommandLockWait);
    for (const Block& existing : audit_.blocks_in_force()) {
        for (const BlockTarget& target : targets) {
            if (same_target(existing.target, target)) {
                throw BlockError(describe(target) + " is blocked already (block " + std::to_string(existing.id) +
                                 "); unblock it first to change it");
            }
        }
    }
    std::vector<AuditEntry> entries;
    entries.reserve(targets.size());
    for (const BlockTarget& target : targets) {
        entries.push_back(stamped(block_set_entry(target, expires_at, reason, set_by, who_json)));
    }
    SetResult result;
    for (const AuditEntry& stored : audit_.append(std::move(entries))) result.blocks.push_back(*block_of(stored));
    try {
        result.warnings = enforce(audit_.blocks_in_force());
    } catch (const std::exception& error) {  // the server's refusal, or anything that kept it from answering
        std::vector<AuditEntry> lifts;
        for (const Block& block : result.blocks) {
            lifts.push_back(stamped(block_lifted_entry(block, LiftCause::NotInForce, set_by, error.what())));
        }
        audit_.append(std::move(lifts));
        enforced_at_change_.reset();
        try {
            enforce(audit_.blocks_in_force());  // take back what the server took of it
        } catch (const std::exception&) {
            // The service gives the server the blocks in force at its next cycle.
        }
        throw BlockError(std::string("the server did not put the block in force, so it was lifted again (both are in "
                                     "the audit trail): ") +
                         error.what());
    }
    return result;
}

std::vector<std::string> BlockKeeper::lift(const std::vector<Block>& blocks, const std::string& lifted_by,
                                           const std::string& reason) {
    const TrailLock lock(audit_.path(), TrailLock::Purpose::Blocks, kCommandLockWait);
    const std::vector<Block> in_force = audit_.blocks_in_force();
    std::vector<AuditEntry> lifts;
    for (const Block& block : blocks) {
        const bool still =
            std::any_of(in_force.begin(), in_force.end(), [&](const Block& b) { return b.id == block.id; });
        if (still) lifts.push_back(stamped(block_lifted_entry(block, LiftCause::Unblocked, lifted_by, reason)));
    }
    audit_.append(std::move(lifts));
    try {
        return enforce(audit_.blocks_in_force());
    } catch (const sessions::SourceError& error) {
        throw BlockError(std::string("the block is lifted in the audit trail, but the server still has it in force: ") +
                         error.what() + "; the service tries again at each cycle");
    }
}

BlockKeeper::KeepResult BlockKeeper::keep(std::chrono::system_clock::time_point now) {
    KeepResult result;
    try {
        const TrailLock lock(audit_.path(), TrailLock::Purpose::Blocks, kServiceLockWait);
        std::vector<Block> in_force = audit_.blocks_in_force();
        std::vector<AuditEntry> lifts;
        for (const Block& block : in_force) {
            if (block.overdue(now)) {
                lifts.push_back(stamped(block_lifted_entry(block, LiftCause::Expired, {}, {})));
                result.expired.push_back(block);
            }
        }
        if (!lifts.empty()) {
            audit_.append(std::move(lifts));
            in_force = audit_.blocks_in_force();
        }
        // The first time, the server may hold what a process that ended left there: it is
        // rebuilt whenever blocks have ever been used with this trail.
        const bool changed =
            !enforced_at_change_ ? audit_.has_block_history() : *enforced_at_change_ != audit_.last_block_change();
        if (changed) {
            result.warnings = enforce(in_force);
            result.enforced = true;
        }
    } catch (const std::exception& error) {  // the lock, the trail, the server: all retried next time
        result.error = error.what();
    }
    return result;
}

}  // namespace smbreaper::blocking
