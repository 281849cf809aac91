#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sessions/session_table.h"
#include "storage/audit_store.h"

namespace smbreaper::blocking {

// A block that could not be set or put in force; the message says why and what was recorded.
class BlockError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What every entry a BlockKeeper writes carries.
struct BlockEntryContext {
    std::string host;           // the file server's name
    std::string policy_sha256;  // the policy in force, when there is one
};

// Keeps a server's mechanism (SessionTable::enforce_blocks) in step with the blocks in force in
// the audit trail (storage/block_entry.h). Every change takes the trail's Blocks lock
// (service/closing/trail_lock.h), so that two processes changing blocks leave the server as the
// trail says. `smbreaper block` and `unblock` set and lift; the service lifts what has expired.
class BlockKeeper {
public:
    BlockKeeper(sessions::SessionTable& table, storage::AuditStore& audit, BlockEntryContext context);

    struct SetResult {
        std::vector<storage::Block> blocks;  // as recorded, one per target
        std::vector<std::string> warnings;   // what the server's setup leaves open
    };
    // Records a block per target (a block-set entry each, in one transaction), then puts every
    // block in force on the server. A target already blocked (a user compared without regard to
    // case): BlockError, nothing recorded. The server refuses: the new blocks are lifted again at
    // once (cause not-in-force, with the reason), the server is given the blocks in force again
    // (what it half took is taken back; the service tries again if that fails too), and
    // BlockError says so. AuditError passes through.
    SetResult set(const std::vector<sessions::BlockTarget>& targets, std::chrono::system_clock::time_point expires_at,
                  const std::string& reason, const std::string& set_by, const std::string& who_json);

    // Lifts `blocks` (unblocked by `lifted_by` for `reason`), then puts the rest in force. A block
    // lifted meanwhile by someone else is skipped. Returns the server's warnings; BlockError when
    // the server refuses (the lifts stay recorded: the service puts the set in force again).
    std::vector<std::string> lift(const std::vector<storage::Block>& blocks, const std::string& lifted_by,
                                  const std::string& reason);

    struct KeepResult {
        std::vector<storage::Block> expired;  // lifted now, cause expired
        bool enforced = false;                // the server was given the blocks in force
        std::vector<std::string> warnings;
        std::string error;  // why the server was not brought in step (tried again next time)
    };
    // The service's part, at start-up and every cycle: lifts every overdue block, then gives the
    // server the blocks in force when the trail's blocks changed since this keeper last did
    // (AuditStore::last_block_change; the first time: whenever blocks were ever used, rebuilding
    // the mechanism after a crash or a reboot). Never throws: what went wrong is in `error`.
    KeepResult keep(std::chrono::system_clock::time_point now);

    // The service reloaded its policy: the entries written from now on name it, and the next
    // keep() gives the server the blocks in force again (smb.conf's own values may have changed).
    void policy_reloaded(std::string sha256) {
        context_.policy_sha256 = std::move(sha256);
        enforced_at_change_.reset();
    }

private:
    storage::AuditEntry stamped(storage::AuditEntry entry) const;
    std::vector<std::string> enforce(const std::vector<storage::Block>& in_force);

    sessions::SessionTable& table_;
    storage::AuditStore& audit_;
    BlockEntryContext context_;
    // The trail's last_block_change() when the server was last given the blocks in force.
    std::optional<std::int64_t> enforced_at_change_;
};

}  // namespace smbreaper::blocking
