#include <catch2/catch.hpp>

#include "config/listen_address.h"

using smbreaper::config::ListenAddress;
using smbreaper::config::parse_listen_address;

namespace {

ListenAddress parsed(const std::string& text) {
    const auto result = parse_listen_address(text);
    INFO(text);
    REQUIRE(std::holds_alternative<ListenAddress>(result));
    return std::get<ListenAddress>(result);
}

std::string problem(const std::string& text) {
    const auto result = parse_listen_address(text);
    INFO(text);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("a port alone, or localhost, listens on loopback", "[listen]") {
    REQUIRE(parsed("9469").text() == "127.0.0.1:9469");
    REQUIRE(parsed("9469").loopback);
    REQUIRE(parsed("localhost:9469").text() == "127.0.0.1:9469");
    REQUIRE(parsed("127.0.0.2:1").loopback);
    REQUIRE(parsed("127.0.0.1:65535").port == 65535);
}

TEST_CASE("an address beyond loopback is read, and said to be so", "[listen]") {
    REQUIRE_FALSE(parsed("0.0.0.0:9469").loopback);
    REQUIRE_FALSE(parsed("192.168.1.20:9469").loopback);
    REQUIRE(parsed("10.0.0.1:80").text() == "10.0.0.1:80");
}

TEST_CASE("what is not an IPv4 address and port is refused with the reason", "[listen]") {
    REQUIRE(problem("0").find("1 to 65535") != std::string::npos);
    REQUIRE(problem("65536").find("1 to 65535") != std::string::npos);
    REQUIRE(problem("127.0.0.1:").find("1 to 65535") != std::string::npos);
    REQUIRE(problem("127.0.0.1:09469").find("1 to 65535") != std::string::npos);
    REQUIRE(problem("127.0.0.1:-1").find("1 to 65535") != std::string::npos);
    REQUIRE(problem("[::1]:9469").find("IPv6") != std::string::npos);
    REQUIRE(problem("::1:9469").find("IPv6") != std::string::npos);
    REQUIRE(problem("fileserver:9469").find("not an IPv4 address") != std::string::npos);
    REQUIRE(problem("127.0.0.256:9469").find("not an IPv4 address") != std::string::npos);
    REQUIRE(problem("127.0.0:9469").find("not an IPv4 address") != std::string::npos);
    REQUIRE(problem("127.0.0.1.1:9469").find("not an IPv4 address") != std::string::npos);
    REQUIRE(problem(":9469").find("not an IPv4 address") != std::string::npos);
    REQUIRE(problem("").find("1 to 65535") != std::string::npos);
}
