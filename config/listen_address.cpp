#include "config/listen_address.h"

#include <charconv>
#include <optional>

namespace smbreaper::config {

namespace {

// A decimal number of at most `max`, all digits, no sign, no leading zeros beyond "0".
std::optional<unsigned> decimal(std::string_view text, unsigned max) {
    if (text.empty() || text.size() > 5 || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

bool is_ipv4(std::string_view text) {
    int parts = 0;
    while (true) {
        const std::size_t dot = text.find('.');
        if (!decimal(text.substr(0, dot), 255)) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
    return parts == 4;
}

}  // namespace

std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    const std::string_view host =
        colon == std::string_view::npos ? std::string_view("localhost") : text.substr(0, colon);
    const std::string_view port_text = colon == std::string_view::npos ? text : text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos || host.starts_with('[')) {
        return std::string("IPv6 addresses are not supported; write an IPv4 address such as 127.0.0.1:") +
               std::string(port_text.empty() ? "9469" : port_text);
    }
    const auto port = decimal(port_text, 65535);
    if (!port || *port == 0) return "the port must be a number from 1 to 65535, not '" + std::string(port_text) + "'";
    ListenAddress address;
    address.port = static_cast<std::uint16_t>(*port);
    if (host == "localhost") {
        address.address = "127.0.0.1";
    } else if (is_ipv4(host)) {
        address.address = std::string(host);
    } else {
        return "'" + std::string(host) + "' is not an IPv4 address (write 127.0.0.1, or 0.0.0.0 for every address)";
    }
    address.loopback = address.address.starts_with("127.");
    return address;
}

}  // namespace smbreaper::config
