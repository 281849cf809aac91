#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/audit_store.h"

namespace smbreaper::storage {

// Where and why the chain stops being trustworthy.
struct ChainBreak {
    std::optional<std::int64_t> seq;  // the first entry that does not fit; none when the problem is the
                                      // trail as a whole (a missing head record, an anchor not found)
    std::string reason;
};

struct VerifyResult {
    std::int64_t entries = 0;  // entries that were checked and fit
    ChainHead head;            // the last entry that fits (the checkpoint or 64 zeros when there is none)
    std::optional<PruneCheckpoint> checkpoint;
    std::optional<std::int64_t> anchor_seq;  // where the anchor was found (the checkpoint's seq if it was its hash)
    std::optional<ChainBreak> problem;       // the first problem; none when the chain is intact

    bool intact() const { return !problem.has_value(); }
};

// Recomputes every entry's hash and every link, from the prune checkpoint (or from 64 zeros) to
// the head record, and stops at the first entry that does not fit. With an anchor (a head hash
// logged earlier), also fails when no entry of the chain, nor the checkpoint, has that hash.
// What this can and cannot detect is set out in docs/AUDIT.md. Throws AuditReadError when the
// file cannot be read.
VerifyResult verify_chain(const AuditStore& store, const std::optional<std::string>& anchor = std::nullopt);

}  // namespace smbreaper::storage
