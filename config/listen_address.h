#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace smbreaper::config {

// An IPv4 address and port to listen on, as settings.metrics.listen names it.
struct ListenAddress {
    std::string address;  // dotted IPv4: "127.0.0.1"
    std::uint16_t port = 0;
    bool loopback = false;  // in 127.0.0.0/8: only this machine can connect

    std::string text() const { return address + ":" + std::to_string(port); }
};

// Reads "PORT", "localhost:PORT" (both 127.0.0.1:PORT) or "IPv4:PORT". Returns what is wrong
// with the text when it is none of them (IPv6 and host names are not accepted).
std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text);

}  // namespace smbreaper::config
