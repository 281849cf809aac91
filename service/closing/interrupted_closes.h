#pragma once

#include <vector>

#include "storage/audit_store.h"

namespace smbreaper::closing {

// Who wrote a pending closure: the service (mode enforce or audit) or `smbreaper close` (mode manual).
enum class CloseWriter { Service, Manual };

// Resolves the pending closures that `writer` left unresolved when its process ended in the middle
// of a close: appends a `failed` entry ("process ended during close; outcome unknown") for each,
// and returns those entries. Each writer resolves only its own, so that the service starting while
// an admin's `smbreaper close` is between its pending and outcome entries does not mark that close
// as interrupted, and the other way round. Throws AuditError as AuditStore does.
std::vector<storage::AuditEntry> resolve_interrupted_closes(storage::AuditStore& audit, CloseWriter writer);

}  // namespace smbreaper::closing
