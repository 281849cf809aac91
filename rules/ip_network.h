#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::rules {

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:10.1.2.3) are stored as IPv4, so
// that a dual-stack server's clients match IPv4 blocks.
struct IpAddress {
    bool is_v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
};

// Parses "10.1.2.3", "fe80::1", "fe80::1%eth0" and Windows' bracketed "[fe80::1]".
std::optional<IpAddress> parse_ip_address(std::string_view text);

// A CIDR block: "10.20.0.0/16", "fd00::/8"; a bare address is a block of one.
class IpNetwork {
public:
    static std::optional<IpNetwork> parse(std::string_view text);

    bool contains(const IpAddress& address) const;
    std::string to_string() const;

private:
    IpAddress base_;
    unsigned prefix_length_ = 0;
};

// True when the text looks like an address or block rather than a host-name glob: it has a '/',
// or parses as an address. Used to tell CIDR entries from globs in client matchers.
bool looks_like_ip_network(std::string_view text);

}  // namespace smbreaper::rules
