// The Windows snapshot reader (Get-SmbSession | ConvertTo-Json, and smbreaper's own snapshots).
// Invariant: whatever it accepts, smbreaper writes back in a form it reads back unchanged.

#include "fuzz_check.h"
#include "sessions/session_table.h"
#include "sessions/snapshot/snapshot_file.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_windows_snapshot_json;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<SessionRecord> sessions;
    try {
        sessions = parse_windows_sessions_json(fuzz::as_text(data, size), "fuzz.json");
    } catch (const SourceError&) {
        return 0;
    }
    const std::string written = to_windows_snapshot_json(sessions);
    std::vector<SessionRecord> read_back;
    try {
        read_back = parse_windows_sessions_json(written, "written.json");
    } catch (const SourceError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        fuzz::require(false, "a snapshot smbreaper wrote reads back");
    }
    fuzz::require(to_windows_snapshot_json(read_back) == written, "a written snapshot reads back unchanged");
    return 0;
}
