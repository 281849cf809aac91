#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::sessions {

// An IP address and TCP port. IPv4 addresses are held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so
// an IPv4 peer compares equal however the kernel or Samba spelled it.
struct IpEndpoint {
    std::array<std::uint8_t, 16> address{};  // network byte order
    std::uint16_t port = 0;                  // host byte order

    static IpEndpoint from_ipv4(const std::uint8_t (&bytes)[4], std::uint16_t port);
    static IpEndpoint from_ipv6(const std::uint8_t (&bytes)[16], std::uint16_t port);

    bool is_ipv4() const;
    // "127.0.0.1:42744", "[::1]:35300"
    std::string to_string() const;

    // clang-tidy 14 reads the defaulted comparison as a literal 0 compared with a pointer.
    auto operator<=>(const IpEndpoint&) const = default;  // NOLINT(modernize-use-nullptr)
};

// Samba's spelling of a peer (smbstatus' "hostname"): "ipv4:127.0.0.1:42744", "ipv6:::1:35300",
// "ipv6:fe80::1%eth0:445". The port follows the last ':'. Absent when it is not of that form.
std::optional<IpEndpoint> parse_samba_peer_address(std::string_view text);

}  // namespace smbreaper::sessions
