#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

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

    // SELECT * FROM MSFT_SmbSession. Throws SourceError when WMI fails or any instance cannot be
    // read exactly: a table read in part is not one to act on.
    SessionSnapshot list() override;

    // Reads the session again by its key first: gone, or now someone else's (a reused id), is
    // Vanished. Otherwise ForceClose on that instance: ReturnValue 0 is Closed. When ForceClose
    // fails and the session is then gone (it ended between the re-read and the call), Vanished;
    // otherwise Failed with the code. A ForceClose that does not answer in time is Failed with
    // its outcome unknown, and the connection is dropped.
    CloseResult close(const SessionRecord& session) override;

    // Every WMI call in progress gives up; later ones fail at once.
    void stop_waiting() override;

private:
    // The connection, made again after a failure (the WMI service may have restarted).
    WmiConnection& connection();
    std::optional<SessionRecord> read_again(std::uint64_t session_id);
    // True when the session is no longer in the table (or its SessionId is someone else's now).
    bool gone_since(const SessionRecord& session);

    WmiTimeouts timeouts_;
    WmiStopFlag stop_ = std::make_shared<std::atomic<bool>>(false);

    std::mutex mutex_;  // the cycle and a manual close may come from different threads
    std::unique_ptr<WmiConnection> connection_;
};

}  // namespace smbreaper::sessions
