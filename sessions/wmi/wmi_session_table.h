#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "sessions/session_table.h"
#include "sessions/wmi/wmi_connection.h"

namespace smbreaper::sessions {

// The Windows SMB server's session table: MSFT_SmbSession in ROOT\Microsoft\Windows\SMB, what
// Get-SmbSession shows, closed with ForceClose (what Close-SmbSession calls).
class WmiSessionTable final : public SessionTable {
public:
    // Connects now, so that a machine without the SMB server's WMI provider is told at start-up.
    // Throws SourceError with WMI's reason (namespace missing, access denied...).
    explicit WmiSessionTable(WmiTimeouts timeouts = {});

    std::string name() const override { return "wmi"; }

    // SELECT * FROM MSFT_SmbSession, then MSFT_SmbOpenFile. Throws SourceError when WMI fails or
    // any session cannot be read exactly: a table read in part is not one to act on. When only
    // the open files cannot be read, the sessions come without them (open_files absent: unknown).
    SessionSnapshot list() override;

    // SELECT * FROM MSFT_SmbOpenFile. Windows gives no open time: each open's first_seen is when
    // this table first listed it (the same FileId, session and path), kept while the open lasts;
    // unknown for the opens of the first listing, which may be older than the program.
    std::vector<OpenFileRecord> list_open_files() override;

    // Reads the open again by its FileId: gone, or now another session's or another file's, is
    // Vanished. Otherwise ForceClose on that instance, judged as for sessions.
    CloseResult close_open_file(const OpenFileRecord& open) override;

    // Reads the session again by its key first: gone, or now someone else's (a reused id), is
    // Vanished. Otherwise ForceClose on that instance: ReturnValue 0 is Closed. When ForceClose
    // fails and the session is then gone (it ended between the re-read and the call), Vanished;
    // otherwise Failed with the code. A ForceClose that does not answer in time is Failed with
    // its outcome unknown, and the connection is dropped.
    CloseResult close(const SessionRecord& session) override;

    // Users: MSFT_SmbShare.BlockAccess on every share (sessions/wmi/share_blocks.h); clients: a
    // Windows Firewall rule each (sessions/wmi/firewall_blocks.h).
    std::vector<std::string> enforce_blocks(const std::vector<BlockTarget>& blocks) override;

    // Every WMI call in progress gives up; later ones fail at once.
    void stop_waiting() override;

private:
    // The connection, made again after a failure (the WMI service may have restarted).
    WmiConnection& connection();
    std::optional<SessionRecord> read_again(std::uint64_t session_id);
    std::vector<OpenFileRecord> read_open_files();  // the caller holds mutex_
    std::optional<OpenFileRecord> read_open_file_again(std::uint64_t file_id);
    bool open_file_gone_since(const OpenFileRecord& open, std::uint64_t file_id);
    // ForceClose on the instance at `instance_path`: ReturnValue 0 is Closed. A failure after which
    // `gone` says the instance has ended is Vanished ("`ended` before it could be closed"); an
    // unanswered call is Failed with its outcome unknown, and the connection is dropped.
    CloseResult force_close(const std::string& instance_path, const std::function<bool()>& gone,
                            std::string_view ended);
    // True when the session is no longer in the table (or its SessionId is someone else's now).
    bool gone_since(const SessionRecord& session);

    WmiTimeouts timeouts_;
    WmiStopFlag stop_ = std::make_shared<std::atomic<bool>>(false);

    std::mutex mutex_;  // the cycle and a manual close may come from different threads
    std::unique_ptr<WmiConnection> connection_;

    // When each open was first listed, by FileId, SessionId and Path (a reused FileId starts anew);
    // unknown for the opens already there at the first listing, whose age nobody saw begin.
    using OpenIdentity = std::tuple<std::string, std::optional<std::uint64_t>, std::optional<std::string>>;
    std::map<OpenIdentity, std::optional<std::chrono::system_clock::time_point>> first_seen_;
    bool listed_open_files_ = false;
};

}  // namespace smbreaper::sessions
