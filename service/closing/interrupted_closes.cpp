#include "service/closing/interrupted_closes.h"

namespace smbreaper::closing {
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Mode;

std::vector<AuditEntry> resolve_interrupted_closes(AuditStore& audit, CloseWriter writer) {
    std::vector<AuditEntry> pending = audit.unresolved_pending();
    std::erase_if(pending, [writer](const AuditEntry& entry) {
        const bool manual = entry.mode == Mode::Manual;
        return manual != (writer == CloseWriter::Manual);
    });
    if (pending.empty()) return {};
    return audit.resolve_interrupted(pending);
}

}  // namespace smbreaper::closing
