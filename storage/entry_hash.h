#pragma once

#include <string>
#include <string_view>

#include "storage/audit_row.h"

namespace smbreaper::storage {

// The prev_hash of the first entry of a chain that was never pruned.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes an entry's hash covers, exactly as docs/AUDIT.md specifies them for auditors who
// re-implement verify: the format tag and then every column but `hash`, in table order, each as
//   NULL     -> "n"
//   INTEGER  -> "i" decimal ";"             e.g. i42;   i-7;
//   TEXT     -> "t" byte-length ":" bytes   e.g. t5:hello
// Every encoding is self-delimiting, so no two different rows serialise to the same bytes.
// Throws std::invalid_argument for a foreign (REAL or BLOB) value, which smbreaper never writes.
std::string canonical_serialisation(const AuditRow& row);

// SHA-256 of canonical_serialisation(row), as 64 lowercase hex digits.
std::string entry_hash(const AuditRow& row);

}  // namespace smbreaper::storage
