#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/samba/smbstatus_parser.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

// The kinds of snapshot file (docs/SNAPSHOTS.md).
enum class SnapshotFormat {
    Windows,           // Get-SmbSession | Select-Object * | ConvertTo-Json: an array, or one object
    Smbstatus,         // smbstatus --json: an object with "sessions" and "version" or "timestamp"
    WindowsOpenFiles,  // Get-SmbOpenFile | Select-Object * | ConvertTo-Json: objects with a FileId
};

// Tells the formats apart by the first object's member names, reading no further than it must.
// Text that is not JSON counts as Windows (whose reader then reports the syntax error).
SnapshotFormat detect_snapshot_format(std::string_view json);

// The largest snapshot file read: a million sessions take about 420 MiB in the Windows format.
inline constexpr std::uint64_t kMaxSnapshotBytes = std::uint64_t{1} << 30;

// Reads a whole snapshot file of either format (a regular file of at most kMaxSnapshotBytes). `taken_at` is the smbstatus document's timestamp,
// or the file's modification time for the Windows format. Throws SourceError naming the file.
// A list of open files is refused, naming the command that reads it.
SessionSnapshot read_snapshot_file(const std::filesystem::path& path, const SmbstatusParseOptions& samba_options = {});

// The open files a snapshot file lists: a Get-SmbOpenFile export, or an smbstatus document's
// open_files. A Get-SmbSession export is refused (it says nothing about open files), unless empty.
std::vector<OpenFileRecord> read_open_files_file(const std::filesystem::path& path,
                                                 const SmbstatusParseOptions& samba_options = {});

// The Windows format as this program writes it: a JSON array of records as
// write_session_properties() writes them, one session per line.
std::string to_windows_snapshot_json(const std::vector<SessionRecord>& sessions);

// A session table kept in a snapshot file, for tests, `simulate` and demonstrations without a
// server. Closing a session removes its record from the file, with the records of the sessions
// that share its connection (sessions/connection_key.h), as a Samba server would end them; the file
// is then rewritten atomically in the Windows format (an smbstatus file becomes a Windows one on
// its first close). Closes from several threads of one process take turns.
class SnapshotSessionTable final : public SessionTable {
public:
    explicit SnapshotSessionTable(std::filesystem::path file, SmbstatusParseOptions samba_options = {});

    std::string name() const override { return "snapshot"; }

    // Reads the file now. Throws SourceError when it is missing or broken.
    SessionSnapshot list() override;

    // Removes every record with the session's SessionId, and every record on the same connection.
    // Vanished when there is none; Failed (with the reason) when the file cannot be read or
    // rewritten, in which case it is left unchanged.
    CloseResult close(const SessionRecord& session) override;

    std::vector<OpenFileRecord> list_open_files() override;

    // Removes the open's record from a Get-SmbOpenFile export (rewritten atomically, in the form
    // `smbreaper files --format json` writes). Failed for any other kind of file.
    CloseResult close_open_file(const OpenFileRecord& open) override;

    // Writes the blocks to FILE.blocks.json (a JSON array of {"target", "name"}, atomically), the
    // snapshot's stand-in for a server's mechanism, which tests and demonstrations read.
    std::vector<std::string> enforce_blocks(const std::vector<BlockTarget>& blocks) override;
    static std::filesystem::path blocks_file_of(const std::filesystem::path& snapshot_file);

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    SmbstatusParseOptions samba_options_;
    std::mutex close_mutex_;  // a close reads, changes and rewrites the whole file
};

}  // namespace smbreaper::sessions
