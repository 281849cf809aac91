#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "sessions/session_table.h"
#include "sessions/wmi/wmi_connection.h"

namespace smbreaper {

// The Windows SMB server's session table: MSFT_SmbSession in ROOT\Microsoft\Windows\SMB, what
// Get-SmbSession shows, closed with ForceClose (what Close-SmbSession calls).
class WmiSessionTable final : public SessionTable {
public:
    // Connects now, so that a machine without the SMB server's WMI provider is told at start-up.
    // Throws SourceError with WMI's reason (namespace missing, access denied...).
    WmiSessionTable();

    std::string name() const override { return "wmi"; }

    // SELECT * FROM MSFT_SmbSession. Throws SourceError when WMI fails or any instance cannot be
    // read exactly: a table read in part is not one to act on.
    SessionSnapshot list() override;

    // Reads the session again by its key first: gone, or now someone else's (a reused id), is
    // Vanished. Otherwise ForceClose on that instance: ReturnValue 0 is Closed, anything else
    // Failed with the code.
    CloseResult close(const SessionRecord& session) override;

private:
    // The connection, made again after a failure (the WMI service may have restarted).
    WmiConnection& connection();

    std::mutex mutex_;  // the cycle and a manual close may come from different threads
    std::unique_ptr<WmiConnection> connection_;
};

}  // namespace smbreaper
