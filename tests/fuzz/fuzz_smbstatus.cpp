// The `smbstatus --json` reader, as the Samba source and snapshot files use it, and the format
// detection that chooses between the two snapshot readers.
// Invariant: every session it accepts survives the trip through smbreaper's own snapshot format.

#include "fuzz_check.h"
#include "sessions/samba/smbstatus_parser.h"
#include "sessions/session_table.h"
#include "sessions/snapshot/snapshot_file.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

using smbreaper::sessions::detect_snapshot_format;
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SmbstatusDocument;
using smbreaper::sessions::SmbstatusParseOptions;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_windows_snapshot_json;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    (void)detect_snapshot_format(text);
    SmbstatusDocument document;
    try {
        document = parse_smbstatus_json(text, "smbstatus --json", SmbstatusParseOptions{"fs01"});
    } catch (const SourceError&) {
        return 0;
    }
    const std::string written = to_windows_snapshot_json(document.sessions);
    try {
        fuzz::require(to_windows_snapshot_json(parse_windows_sessions_json(written, "written.json")) == written,
                      "smbstatus sessions read back unchanged from a snapshot");
    } catch (const SourceError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        fuzz::require(false, "smbstatus sessions written as a snapshot read back");
    }
    return 0;
}
