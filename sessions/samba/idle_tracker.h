#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sessions/samba/ip_endpoint.h"
#include "sessions/samba/tcp_socket_diag.h"

namespace smbreaper::sessions {

// An SMB2 ECHO request on the wire: the 4-byte NetBIOS session header, the 64-byte SMB2 header and
// the 4-byte ECHO body. smbclient sends one every 5 s while idle (also on encrypted sessions: the
// echo carries no session, so it is never encrypted), the Linux kernel client every 60 s.
inline constexpr std::uint64_t smb2_echo_request_bytes = 72;

// Whether what a client sent between two polls can be nothing but ECHO keepalives: a whole number
// of echoes, each in a segment of its own. More segments than echoes are allowed (a TCP keepalive
// probe carries one already-received byte: a segment, but no new bytes). Any real request makes
// the bytes per segment larger than an echo (the smallest other requests, CANCEL, LOGOFF and
// TREE_DISCONNECT, are echo-sized but are not the use of a share either).
bool is_keepalive_traffic(std::uint64_t new_bytes, std::uint32_t new_data_segments);

// Identifies one TCP connection across polls: a socket's inode is unique while the socket lives.
struct ConnectionKey {
    std::uint64_t inode = 0;
    IpEndpoint local;
    IpEndpoint peer;
    auto operator<=>(const ConnectionKey&) const = default;  // NOLINT(modernize-use-nullptr): as in ip_endpoint.h
};

struct ConnectionSample {
    ConnectionKey key;
    TcpReceiveCounters counters;
};

// Derives how long each SMB connection has been idle from its receive counters across polls, so
// that keepalives do not count as activity and requests do (docs/SAMBA-IDLE.md):
// - first sight: idle since the last data the connection received (tcpi_last_data_recv), a lower
//   bound: nothing at all arrived since, but what arrived then may have been an echo;
// - a later poll with only keepalive traffic (or none): the idle time keeps growing;
// - a later poll with anything else: activity, dated at the last data received, the latest moment
//   the request can have arrived (an echo may have followed it), so idle is never overstated.
// Times are steady-clock (monotonic) time points; wall-clock changes do not move them.
class IdleTracker {
public:
    using Clock = std::chrono::steady_clock;

    // One poll: every connection the kernel reported, read at `observed_at`. Connections that are
    // not in it are forgotten.
    void update(const std::vector<ConnectionSample>& samples, Clock::time_point observed_at);

    // Idle time at the last update; absent for a connection that was not in it.
    std::optional<std::chrono::milliseconds> idle_time(const ConnectionKey& key) const;

private:
    struct History {
        TcpReceiveCounters counters;
        Clock::time_point last_activity;
    };

    std::map<ConnectionKey, History> histories_;
    Clock::time_point last_update_{};
};

}  // namespace smbreaper::sessions
