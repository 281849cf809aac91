#include "sessions/samba/tcp_socket_diag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

namespace smbreaper::sessions {
namespace {

// TCP states as the kernel numbers them (include/net/tcp_states.h, a stable ABI).
enum TcpState : std::uint8_t {
    tcp_established = 1,
    tcp_fin_wait1 = 4,
    tcp_fin_wait2 = 5,
    tcp_close_wait = 8,
    tcp_last_ack = 9,
    tcp_closing = 11,
};

// States in which a process can still hold the socket.
constexpr std::uint32_t held_states = (1u << tcp_established) | (1u << tcp_fin_wait1) | (1u << tcp_fin_wait2) |
                                      (1u << tcp_close_wait) | (1u << tcp_last_ack) | (1u << tcp_closing);

constexpr std::uint32_t netlink_sequence = 1;

class NetlinkSocket {
public:
    NetlinkSocket() : fd_(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {
        if (fd_ < 0) throw SocketDiagError(std::string("netlink socket: ") + std::strerror(errno));
        // The kernel answers at once; this only guards against a wait that never ends.
        const timeval receive_timeout{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &receive_timeout, sizeof receive_timeout);
    }
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;
    ~NetlinkSocket() { ::close(fd_); }
    int fd() const { return fd_; }

private:
    int fd_;
};

void append_op(std::vector<std::byte>& bytecode, std::uint8_t code, std::uint8_t yes, std::uint16_t no) {
    const inet_diag_bc_op op{code, yes, no};
    const auto* bytes = reinterpret_cast<const std::byte*>(&op);
    bytecode.insert(bytecode.end(), bytes, bytes + sizeof op);
}

// The kernel's socket filter for "local port is one of `ports`", built as ss builds an "or". The
// filter runs from its first byte; each operation jumps `yes` or `no` bytes ahead depending on its
// condition (JMP always takes `no`). Landing exactly on the end accepts the socket, jumping 4 bytes
// beyond it rejects it. The kernel checks that every jump lands on the chain of `yes` jumps from
// the start, so `yes` always goes to the next operation. One block per port:
//   GE p  (port >= p)  yes: next   no: the next block
//   LE p  (port <= p)  yes: next   no: the next block
//   JMP                no: the end (accept)
// The last block has no JMP: its LE's yes lands on the end, its no jumps beyond it (reject).
// A comparison is two operations: the second only holds the port, in its `no` field.
std::vector<std::byte> local_port_filter(const std::vector<std::uint16_t>& ports) {
    constexpr std::uint16_t op_size = sizeof(inet_diag_bc_op);
    constexpr std::uint16_t comparison_size = 2 * op_size;
    constexpr std::uint16_t reject = 4;  // beyond the end
    const std::size_t total = ports.size() * (2 * comparison_size + op_size) - op_size;
    std::vector<std::byte> bytecode;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const bool last = i + 1 == ports.size();
        const std::uint16_t jump_size = last ? 0 : op_size;
        const std::uint16_t from_le_to_next_block = comparison_size + (last ? reject : jump_size);
        append_op(bytecode, INET_DIAG_BC_S_GE, comparison_size, comparison_size + from_le_to_next_block);
        append_op(bytecode, INET_DIAG_BC_NOP, 0, ports[i]);
        append_op(bytecode, INET_DIAG_BC_S_LE, comparison_size, from_le_to_next_block);
        append_op(bytecode, INET_DIAG_BC_NOP, 0, ports[i]);
        if (!last) {
            const std::size_t to_end = total - bytecode.size();
            append_op(bytecode, INET_DIAG_BC_JMP, op_size, static_cast<std::uint16_t>(to_end));
        }
    }
    return bytecode;
}

std::vector<std::byte> dump_request(std::uint8_t family, const std::vector<std::uint16_t>& ports) {
    const std::vector<std::byte> filter = local_port_filter(ports);
    const std::size_t attribute_length = filter.empty() ? 0 : RTA_LENGTH(filter.size());
    const std::size_t message_length = NLMSG_LENGTH(sizeof(inet_diag_req_v2)) + RTA_ALIGN(attribute_length);

    std::vector<std::byte> message(message_length);
    auto* header = reinterpret_cast<nlmsghdr*>(message.data());
    header->nlmsg_len = static_cast<std::uint32_t>(message_length);
    header->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    header->nlmsg_seq = netlink_sequence;
    auto* request = static_cast<inet_diag_req_v2*>(NLMSG_DATA(header));
    request->sdiag_family = family;
    request->sdiag_protocol = IPPROTO_TCP;
    request->idiag_states = held_states;
    request->idiag_ext = 1u << (INET_DIAG_INFO - 1);
    if (!filter.empty()) {
        auto* attribute = reinterpret_cast<rtattr*>(message.data() + NLMSG_LENGTH(sizeof(inet_diag_req_v2)));
        attribute->rta_type = INET_DIAG_REQ_BYTECODE;
        attribute->rta_len = static_cast<unsigned short>(attribute_length);
        std::memcpy(RTA_DATA(attribute), filter.data(), filter.size());
    }
    return message;
}

IpEndpoint endpoint_of(std::uint8_t family, const __be32 (&address)[4], __be16 port) {
    std::uint8_t bytes[16];
    std::memcpy(bytes, address, sizeof bytes);
    if (family == AF_INET) {
        const std::uint8_t(&ipv4)[4] = *reinterpret_cast<const std::uint8_t(*)[4]>(bytes);
        return IpEndpoint::from_ipv4(ipv4, ntohs(port));
    }
    return IpEndpoint::from_ipv6(bytes, ntohs(port));
}

// tcp_info grew over the years; older kernels send a shorter one. The counters need everything up
// to tcpi_data_segs_in (Linux 4.6).
std::optional<TcpReceiveCounters> counters_from(const rtattr* attribute) {
    const std::size_t length = RTA_PAYLOAD(attribute);
    constexpr std::size_t needed = offsetof(tcp_info, tcpi_data_segs_in) + sizeof(tcp_info::tcpi_data_segs_in);
    if (length < needed) return std::nullopt;
    tcp_info info{};
    std::memcpy(&info, RTA_DATA(attribute), std::min(length, sizeof info));
    return TcpReceiveCounters{info.tcpi_bytes_received, info.tcpi_data_segs_in,
                              std::chrono::milliseconds(info.tcpi_last_data_recv)};
}

TcpConnection connection_from(const nlmsghdr* header) {
    const auto* message = static_cast<const inet_diag_msg*>(NLMSG_DATA(header));
    TcpConnection connection;
    connection.local = endpoint_of(message->idiag_family, message->id.idiag_src, message->id.idiag_sport);
    connection.peer = endpoint_of(message->idiag_family, message->id.idiag_dst, message->id.idiag_dport);
    connection.inode = message->idiag_inode;
    connection.state = message->idiag_state;
    int remaining = static_cast<int>(header->nlmsg_len - NLMSG_LENGTH(sizeof *message));
    for (auto* attribute = reinterpret_cast<const rtattr*>(message + 1); RTA_OK(attribute, remaining);
         attribute = RTA_NEXT(attribute, remaining)) {
        if (attribute->rta_type == INET_DIAG_INFO) connection.counters = counters_from(attribute);
    }
    return connection;
}

void send_request(const NetlinkSocket& socket, const std::vector<std::byte>& message) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent;
    do {
        sent = ::sendto(socket.fd(), message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&kernel),
                        sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(message.size()))
        throw SocketDiagError(std::string("netlink send: ") + std::strerror(errno));
}

// Appends the dump's sockets to `connections`; returns when the kernel says it is done.
void receive_dump(const NetlinkSocket& socket, std::vector<TcpConnection>& connections) {
    alignas(nlmsghdr) std::byte buffer[65536];
    for (;;) {
        ssize_t received;
        do {
            received = ::recv(socket.fd(), buffer, sizeof buffer, 0);
        } while (received < 0 && errno == EINTR);
        if (received < 0) throw SocketDiagError(std::string("netlink receive: ") + std::strerror(errno));
        if (received == 0) throw SocketDiagError("netlink receive: the kernel closed the socket");

        int remaining = static_cast<int>(received);
        for (auto* header = reinterpret_cast<const nlmsghdr*>(buffer); NLMSG_OK(header, remaining);
             header = NLMSG_NEXT(header, remaining)) {
            if (header->nlmsg_seq != netlink_sequence) continue;
            if (header->nlmsg_type == NLMSG_DONE) return;
            if (header->nlmsg_type == NLMSG_ERROR) {
                const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(header));
                throw SocketDiagError(std::string("sock_diag: ") + std::strerror(-error->error));
            }
            if (header->nlmsg_type == SOCK_DIAG_BY_FAMILY && header->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg))) {
                connections.push_back(connection_from(header));
            }
        }
    }
}

bool has_local_port(const TcpConnection& connection, const std::vector<std::uint16_t>& ports) {
    return std::find(ports.begin(), ports.end(), connection.local.port) != ports.end();
}

}  // namespace

std::vector<TcpConnection> dump_tcp_connections(const std::vector<std::uint16_t>& local_ports) {
    std::vector<TcpConnection> connections;
    if (local_ports.empty()) return connections;
    for (const std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
        const NetlinkSocket socket;
        send_request(socket, dump_request(family, local_ports));
        receive_dump(socket, connections);
    }
    // The kernel's filter did this already; it costs nothing to make sure.
    std::erase_if(connections, [&](const TcpConnection& c) { return !has_local_port(c, local_ports); });
    return connections;
}

}  // namespace smbreaper::sessions
