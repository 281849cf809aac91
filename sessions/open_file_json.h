#pragma once

#include <string>
#include <vector>

#include "common/json_writer.h"
#include "sessions/open_file_record.h"

namespace smbreaper::sessions {

// Writes the open's properties (no braces) with MSFT_SmbOpenFile's names, so that the output of
// `smbreaper files --format json` reads like Get-SmbOpenFile's ConvertTo-Json and reads back as an
// open-file snapshot. Unknown values are null. FileId is a number when it is one (Windows), text
// otherwise (Samba's "PID/SHARE_FILE_ID"). Then what this program adds: Access (access_letters),
// Writes, and OpenedAt or FirstSeen (common/utc_time.h's form), and Samba's process when known.
void write_open_file_properties(common::JsonWriter& json, const OpenFileRecord& open);

// A JSON array of opens, one per line: what `smbreaper files --format json` prints and what an
// open-file snapshot is rewritten to.
std::string to_open_files_json(const std::vector<const OpenFileRecord*>& opens);

}  // namespace smbreaper::sessions
