#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sessions/samba/idle_tracker.h"
#include "sessions/samba/samba_settings.h"
#include "sessions/samba/smb_conf_reader.h"
#include "sessions/samba/smbd_start_times.h"
#include "sessions/samba/socket_owners.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

// The sessions of a Samba server on this host (docs/ARCHITECTURE.md). Needs root (smbstatus and
// /proc/PID/fd of smbd). One caller at a time: list() feeds the idle tracker.
//
// Sessions that share a connection: smbd runs one process per client connection, and one
// connection can carry several sessions. They have the same samba_server_id (pid, unique_id), and
// connection_key() (sessions/connection_key.h) gives them the same key. close() ends the whole
// connection, so close a session only when every session on its connection is to end.
class SambaSessionTable : public SessionTable {
public:
    explicit SambaSessionTable(SambaSettings settings);

    // The files of the programs this table would run (smbstatus, smbcontrol, testparm), as found
    // now; a program that is not found is left out (running it fails as a source error).
    static std::vector<std::string> programs(const SambaSettings& settings);

    std::string name() const override { return "samba"; }

    // Checks that smbd runs (down is a SourceError, never an empty table), runs
    // `smbstatus --json`, and adds what smbstatus does not know: SecondsExists from the age of each
    // session's smbd process (immune to wall-clock changes; for a second session on a connection
    // that is the connection's age), SecondsIdle from the kernel's counters for the TCP connection
    // that process holds with the session's peer (docs/SAMBA-IDLE.md; absent when no such
    // connection is found). Its phases: server-check, smbstatus (running it), parse, sockets (the
    // kernel's socket information and the idle tracker), processes (/proc: ages and sockets).
    SessionSnapshot list() override;

    // Confirms that the session's smbd process still holds the connection from the session's peer
    // (a pid can be reused), sends it `smbcontrol PID shutdown`, and waits until it lets go of the
    // connection: Closed. Vanished when it was already gone; Failed, with the reason, otherwise.
    CloseResult close(const SessionRecord& session) override;

    // Through the blocks file smb.conf includes and `smbcontrol smbd reload-config`
    // (sessions/samba/samba_blocks.h).
    std::vector<std::string> enforce_blocks(const std::vector<BlockTarget>& blocks) override;
    std::optional<std::string> block_problem(const BlockTarget& target) const override;
    std::vector<std::string> block_setup_problems() override;

private:
    // Unknown: the process runs but its descriptors cannot be read.
    enum class Ownership { Held, NotHeld, Unknown };

    void check_server_is_up();
    std::string read_smbstatus();
    void add_process_facts(std::vector<SessionRecord>& sessions, common::PhaseTimings& phases);
    Ownership connection_ownership(pid_t pid, const IpEndpoint& peer);
    bool wait_until_released(pid_t pid, const IpEndpoint& peer, std::chrono::milliseconds limit);

    SambaSettings settings_;
    std::string host_name_;
    SmbConfReader smb_conf_;
    IdleTracker idle_tracker_;
    SocketOwners socket_owners_;
    SmbdStartTimes start_times_;
};

}  // namespace smbreaper::sessions
