#include <catch2/catch.hpp>

#include <vector>

#include "rules/ip_network.h"

using smbreaper::rules::IpNetwork;
using smbreaper::rules::looks_like_ip_network;
using smbreaper::rules::parse_ip_address;

using namespace smbreaper;

namespace {
bool in_block(const char* block, const char* address) {
    const auto network = IpNetwork::parse(block);
    const auto parsed = parse_ip_address(address);
    REQUIRE(network.has_value());
    REQUIRE(parsed.has_value());
    return network->contains(*parsed);
}
}  // namespace

TEST_CASE("IPv4 blocks contain their addresses", "[cidr]") {
    REQUIRE(in_block("10.20.0.0/16", "10.20.255.1"));
    REQUIRE_FALSE(in_block("10.20.0.0/16", "10.21.0.1"));
    REQUIRE(in_block("0.0.0.0/0", "192.0.2.1"));
    REQUIRE(in_block("192.0.2.7", "192.0.2.7"));
    REQUIRE_FALSE(in_block("192.0.2.7", "192.0.2.8"));
    REQUIRE(in_block("10.20.3.4/16", "10.20.9.9"));  // host bits are ignored
    REQUIRE(in_block("172.16.0.0/12", "172.31.255.255"));
    REQUIRE_FALSE(in_block("172.16.0.0/12", "172.32.0.0"));
}

TEST_CASE("IPv6 blocks, Windows' bracketed form and zone ids", "[cidr]") {
    REQUIRE(in_block("fe80::/10", "[fe80::1]"));
    REQUIRE(in_block("fe80::/10", "fe80::1%eth0"));
    REQUIRE(in_block("fe80::/10", "[fe80::1%12]"));
    REQUIRE(in_block("fe80::/10", "fe80::1%vlan.10_a-b"));
    // A zone id is an interface name or number: "%/" made an address that no block of itself
    // contained (fuzz_ip_network).
    for (const char* text : {"0::10%/", "fe80::1%", "fe80::1%eth0/64", "fe80::1%a b", "fe80::1%%"}) {
        INFO(text);
        REQUIRE_FALSE(parse_ip_address(text).has_value());
    }
    REQUIRE(in_block("fd00:20::/32", "fd00:20:1::5"));
    REQUIRE_FALSE(in_block("fd00:20::/32", "fd00:21::5"));
    REQUIRE(in_block("::1", "[::1]"));
    REQUIRE(in_block("2001:db8::/127", "2001:db8::1"));
    REQUIRE_FALSE(in_block("2001:db8::/127", "2001:db8::2"));
}

TEST_CASE("IPv4-mapped IPv6 clients match IPv4 blocks, and families never mix otherwise", "[cidr]") {
    REQUIRE(in_block("127.0.0.0/8", "::ffff:127.0.0.1"));
    REQUIRE_FALSE(in_block("::/0", "10.0.0.1"));
    REQUIRE_FALSE(in_block("0.0.0.0/0", "fe80::1"));
}

TEST_CASE("malformed blocks and addresses are refused", "[cidr]") {
    for (const char* text :
         {"10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "fe80::/129", "10.0.0.0/8x", "/8", "LAB-*", "300.1.1.1", "[fe80::1",
          "fe80:::1", "10.0.0.0/-1", "10.0.0", "010.0.0.1", "1.2.3.4.5", "1..2.3", "fe80::1%"}) {
        INFO(text);
        REQUIRE_FALSE(IpNetwork::parse(text).has_value());
    }
    REQUIRE_FALSE(parse_ip_address("PC-17").has_value());
    REQUIRE(looks_like_ip_network("10.0.0.0/33"));  // so that it is reported, not taken as a glob
    REQUIRE_FALSE(looks_like_ip_network("LAB-*"));
}

TEST_CASE("dotted-quad addresses are read exactly as inet_pton reads them", "[cidr]") {
    const auto bytes_of = [](const char* text) {
        const auto parsed = parse_ip_address(text);
        REQUIRE(parsed.has_value());
        REQUIRE_FALSE(parsed->is_v6);
        return std::vector<int>(parsed->bytes.begin(), parsed->bytes.begin() + 4);
    };
    REQUIRE(bytes_of("10.17.200.33") == std::vector<int>{10, 17, 200, 33});
    REQUIRE(bytes_of("0.0.0.0") == std::vector<int>{0, 0, 0, 0});
    REQUIRE(bytes_of("255.255.255.255") == std::vector<int>{255, 255, 255, 255});
    for (const char* text : {"01.2.3.4", "1.2.3", "1.2.3.4.", "1.2.3.256", "1..2.3", " 1.2.3.4", "1.2.3.4 ",
                             "1.2.3.4/8", "1234.1.1.1", "1.2.3.-4", "1.2.3.4a"}) {
        INFO(text);
        REQUIRE_FALSE(parse_ip_address(text).has_value());
    }
}

TEST_CASE("a name with a NUL byte is not the address before it", "[cidr]") {
    // Found by fuzz_ip_network: the address parser stopped at the NUL, so a client named
    // "10.20.1.5\0anything" matched 10.20.0.0/16. (tests/fuzz/regressions/fuzz_ip_network/)
    using namespace std::string_view_literals;
    REQUIRE_FALSE(parse_ip_address("10.20.1.5\0anything"sv).has_value());
    REQUIRE_FALSE(parse_ip_address("[::\0"
                                   "1.0/1]"sv)
                      .has_value());
    REQUIRE_FALSE(IpNetwork::parse("10.20.0.0\0/16"sv).has_value());
    REQUIRE_FALSE(looks_like_ip_network("10.20.1.5\0x"sv));
}
