#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "sessions/samba/ip_endpoint.h"

namespace smbreaper::sessions {

// The kernel's counters for what a TCP socket has received (struct tcp_info).
struct TcpReceiveCounters {
    std::uint64_t bytes_received = 0;                       // tcpi_bytes_received: new payload bytes, ever
    std::uint32_t data_segments_received = 0;               // tcpi_data_segs_in: segments that carried payload
    std::chrono::milliseconds since_last_data_received{0};  // tcpi_last_data_recv
};

// One TCP socket as the kernel's socket diagnostics (netlink sock_diag) report it.
struct TcpConnection {
    IpEndpoint local;
    IpEndpoint peer;
    std::uint64_t inode = 0;  // the socket's inode: /proc/PID/fd/N -> "socket:[inode]"; 0 once no process holds it
    std::uint8_t state = 0;   // TCP_ESTABLISHED, TCP_CLOSE_WAIT, ...
    std::optional<TcpReceiveCounters> counters;  // absent when the kernel sent no usable tcp_info
};

class SocketDiagError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Every TCP socket, IPv4 and IPv6, whose local port is one of `local_ports` and that a process may
// still hold (listening and TIME_WAIT sockets are left out), with its receive counters: one netlink
// dump per address family, filtered in the kernel. Needs no privileges. Throws SocketDiagError when
// the kernel cannot be asked.
std::vector<TcpConnection> dump_tcp_connections(const std::vector<std::uint16_t>& local_ports);

}  // namespace smbreaper::sessions
