#pragma once

#include <string>

#include "common/json_writer.h"
#include "sessions/session_record.h"

namespace smbreaper::sessions {

// Writes the record's properties (no braces) with MSFT_SmbSession's property names for the common
// fields, so that a caller can add its own keys to the same object. Values a source did not
// provide are written as null; the extras (Shares, Encrypted, ...) only when known.
void write_session_properties(common::JsonWriter& json, const SessionRecord& session);

// The whole record as one JSON object: what `Close-SmbSession -PassThru` would return, plus the
// extras the source knows. This is the form the audit trail stores and snapshots read back.
std::string to_passthru_json(const SessionRecord& session);

}  // namespace smbreaper::sessions
