#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "sessions/block_target.h"
#include "storage/audit_entry.h"

namespace smbreaper::storage {

// An incident block (`smbreaper block`) as the audit trail keeps it: the set of blocks is the
// block-set entries that no block-lifted entry resolves, so it is as durable and as
// tamper-evident as the trail, and survives a crash or a reboot of whoever set it.
struct Block {
    std::int64_t id = 0;  // the seq of its block-set entry
    sessions::BlockTarget target;
    std::string set_at;  // its entry's time (common/utc_time.h's form)
    std::chrono::system_clock::time_point expires_at;
    std::string reason;
    std::string set_by;  // the account that ran `smbreaper block`
    std::string host;

    bool overdue(std::chrono::system_clock::time_point now) const { return now >= expires_at; }
};

// The entry that puts a block in force (mode manual, action "block"): the target, when it
// expires, why, and who set it in details_json (`who` is a JSON object about the account).
AuditEntry block_set_entry(const sessions::BlockTarget& target, std::chrono::system_clock::time_point expires_at,
                           const std::string& reason, const std::string& set_by, const std::string& who_json);

// Why a block ended: its time came (the service lifts it), a person lifted it (`unblock`), or the
// server would not put it in force when it was set.
enum class LiftCause { Expired, Unblocked, NotInForce };
std::string_view to_string(LiftCause cause);  // "expired", "unblocked", "not-in-force"

// The entry that ends `block` (resolves_entry = its id): expired, unblocked by `lifted_by` for
// `reason`, or not in force (`reason`: why the server refused it).
AuditEntry block_lifted_entry(const Block& block, LiftCause cause, const std::string& lifted_by,
                              const std::string& reason);

// The block a block-set entry records; nothing when the entry is not one, or its details lack
// what a block needs.
std::optional<Block> block_of(const AuditEntry& entry);

}  // namespace smbreaper::storage
