#include <catch2/catch.hpp>

#include "sessions/samba/ip_endpoint.h"

using smbreaper::sessions::IpEndpoint;
using smbreaper::sessions::parse_samba_peer_address;

using namespace smbreaper;

TEST_CASE("parse_samba_peer_address reads smbstatus' hostname field") {
    const auto ipv4 = parse_samba_peer_address("ipv4:127.0.0.1:42744");
    REQUIRE(ipv4);
    CHECK(ipv4->is_ipv4());
    CHECK(ipv4->port == 42744);
    CHECK(ipv4->to_string() == "127.0.0.1:42744");

    const auto loopback6 = parse_samba_peer_address("ipv6:::1:35300");
    REQUIRE(loopback6);
    CHECK_FALSE(loopback6->is_ipv4());
    CHECK(loopback6->port == 35300);
    CHECK(loopback6->to_string() == "[::1]:35300");

    const auto full6 = parse_samba_peer_address("ipv6:2001:db8::17:445");
    REQUIRE(full6);
    CHECK(full6->to_string() == "[2001:db8::17]:445");
}

TEST_CASE("parse_samba_peer_address drops the zone of a link-local address") {
    const auto scoped = parse_samba_peer_address("ipv6:fe80::1%eth0:50000");
    REQUIRE(scoped);
    CHECK(scoped->to_string() == "[fe80::1]:50000");
}

TEST_CASE("an IPv4 peer equals its IPv4-mapped IPv6 spelling") {
    CHECK(parse_samba_peer_address("ipv4:10.1.2.3:5000") == parse_samba_peer_address("ipv6:::ffff:10.1.2.3:5000"));
    CHECK(parse_samba_peer_address("ipv4:10.1.2.3:5000") != parse_samba_peer_address("ipv4:10.1.2.3:5001"));
    CHECK(parse_samba_peer_address("ipv4:10.1.2.3:5000") != parse_samba_peer_address("ipv4:10.1.2.4:5000"));
}

TEST_CASE("parse_samba_peer_address refuses anything else") {
    for (const char* text : {"", "127.0.0.1:445", "ipv4:127.0.0.1", "ipv4:127.0.0.1:", "ipv4:127.0.0.1:65536",
                             "ipv4:127.0.0.1:44x", "ipv4:127.0.0.1:-1", "ipv4:::1:445", "ipv6:127.0.0.1:445",
                             "ipv4:999.0.0.1:445", "ipv6:::1", "unix:/tmp/socket", "ipv4:host.example:445"}) {
        INFO(text);
        CHECK_FALSE(parse_samba_peer_address(text));
    }
    // inet_pton reads a C string: without a check, the address would end at the NUL.
    using namespace std::string_view_literals;
    CHECK_FALSE(parse_samba_peer_address("ipv4:127.0.0.1\0junk:445"sv));
    CHECK_FALSE(parse_samba_peer_address("ipv6:::1\0junk:445"sv));
}

TEST_CASE("IpEndpoint builds from the kernel's byte arrays") {
    const std::uint8_t ipv4[4] = {192, 168, 1, 20};
    CHECK(IpEndpoint::from_ipv4(ipv4, 139).to_string() == "192.168.1.20:139");
    const std::uint8_t ipv6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    CHECK(IpEndpoint::from_ipv6(ipv6, 445).to_string() == "[fe80::1]:445");
}
