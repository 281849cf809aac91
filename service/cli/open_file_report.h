#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sessions/open_file_record.h"

namespace smbreaper::cli {

// How `files` and `close-file` print open files.

// Aligned columns: FileId, SessionId, User, Client, Access, Open for (since it was opened, or "~"
// before the time when only first seen), Path (ShareRelativePath, or Path when that is unknown).
std::string open_files_text(const std::vector<const sessions::OpenFileRecord*>& opens,
                            std::chrono::system_clock::time_point now);

// JSON: sessions/open_file_json.h's to_open_files_json.

// CSV for Excel (storage/csv.h) with MSFT_SmbOpenFile's properties, Access, Writes, OpenedAt and
// FirstSeen.
std::string open_files_csv(const std::vector<const sessions::OpenFileRecord*>& opens);

}  // namespace smbreaper::cli
