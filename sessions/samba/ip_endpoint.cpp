#include "sessions/samba/ip_endpoint.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace smbreaper::sessions {
namespace {

constexpr std::uint8_t ipv4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

IpEndpoint IpEndpoint::from_ipv4(const std::uint8_t (&bytes)[4], std::uint16_t port) {
    IpEndpoint endpoint;
    std::memcpy(endpoint.address.data(), ipv4_mapped_prefix, sizeof ipv4_mapped_prefix);
    std::memcpy(endpoint.address.data() + 12, bytes, 4);
    endpoint.port = port;
    return endpoint;
}

IpEndpoint IpEndpoint::from_ipv6(const std::uint8_t (&bytes)[16], std::uint16_t port) {
    IpEndpoint endpoint;
    std::memcpy(endpoint.address.data(), bytes, 16);
    endpoint.port = port;
    return endpoint;
}

bool IpEndpoint::is_ipv4() const {
    return std::memcmp(address.data(), ipv4_mapped_prefix, sizeof ipv4_mapped_prefix) == 0;
}

std::string IpEndpoint::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (is_ipv4()) {
        ::inet_ntop(AF_INET, address.data() + 12, text, sizeof text);
        return std::string(text) + ":" + std::to_string(port);
    }
    ::inet_ntop(AF_INET6, address.data(), text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(port);
}

std::optional<IpEndpoint> parse_samba_peer_address(std::string_view text) {
    const bool ipv4 = text.starts_with("ipv4:");
    if (!ipv4 && !text.starts_with("ipv6:")) return std::nullopt;
    if (text.find('\0') != std::string_view::npos) return std::nullopt;  // inet_pton would stop there
    text.remove_prefix(5);
    const std::size_t last_colon = text.rfind(':');
    if (last_colon == std::string_view::npos) return std::nullopt;
    const std::optional<std::uint16_t> port = parse_port(text.substr(last_colon + 1));
    std::string host(text.substr(0, last_colon));
    if (!ipv4) host = host.substr(0, host.find('%'));  // the zone of a link-local address
    if (!port) return std::nullopt;

    if (ipv4) {
        std::uint8_t bytes[4];
        if (::inet_pton(AF_INET, host.c_str(), bytes) != 1) return std::nullopt;
        return IpEndpoint::from_ipv4(bytes, *port);
    }
    std::uint8_t bytes[16];
    if (::inet_pton(AF_INET6, host.c_str(), bytes) != 1) return std::nullopt;
    return IpEndpoint::from_ipv6(bytes, *port);
}

}  // namespace smbreaper::sessions
