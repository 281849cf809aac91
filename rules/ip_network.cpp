#include "rules/ip_network.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace smbreaper::rules {
namespace {

std::string_view strip_brackets(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') return text.substr(1, text.size() - 2);
    return text;
}

// An IPv6 zone id ("%eth0", "%12") is checked to be an interface name or number and then dropped:
// it never decides a match, and Windows' inet_pton only takes numeric ones. Anything else ("%/")
// makes the text no address at all.
std::optional<std::string_view> without_zone(std::string_view text) {
    const auto percent = text.find('%');
    if (percent == std::string_view::npos) return text;
    const std::string_view zone = text.substr(percent + 1);
    if (zone.empty()) return std::nullopt;
    for (const char c : zone) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                             c == '_' || c == '-';
        if (!allowed) return std::nullopt;
    }
    return text.substr(0, percent);
}

// IPv4 is read here, not by Asio: Asio parses with the system's inet_pton, which differs between
// platforms (Windows' accepts classful shorthand, "10.0.0" for 10.0.0.0). Exactly four decimal parts
// without leading zeros, everywhere. It is also the fast path: this runs once per session per cycle.
std::optional<IpAddress> parse_dotted_quad(std::string_view text) {
    IpAddress address;
    std::size_t at = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (at >= text.size() || text[at] != '.') return std::nullopt;
            ++at;
        }
        const std::size_t start = at;
        unsigned value = 0;
        while (at < text.size() && at - start < 3 && text[at] >= '0' && text[at] <= '9') {
            value = value * 10 + static_cast<unsigned>(text[at] - '0');
            ++at;
        }
        const std::size_t digits = at - start;
        if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return std::nullopt;
        address.bytes[static_cast<std::size_t>(part)] = static_cast<std::uint8_t>(value);
    }
    if (at != text.size()) return std::nullopt;
    return address;
}

}  // namespace

std::optional<IpAddress> parse_ip_address(std::string_view text) {
    if (auto v4 = parse_dotted_quad(text)) return v4;
    text = strip_brackets(text);
    // Asio reads a C string: "10.1.2.3\0anything" would pass for 10.1.2.3.
    if (text.empty() || text.size() > 64 || text.find('\0') != std::string_view::npos) return std::nullopt;
    if (text.find(':') == std::string_view::npos) return parse_dotted_quad(text);  // "[10.0.0.1]"
    const auto unzoned = without_zone(text);
    if (!unzoned) return std::nullopt;
    text = *unzoned;
    // Called once per session per cycle: parse from a stack copy rather than a new std::string.
    char buffer[72];
    text.copy(buffer, text.size());
    buffer[text.size()] = '\0';
    boost::system::error_code error;
    const auto parsed = boost::asio::ip::make_address(static_cast<const char*>(buffer), error);
    if (error) return std::nullopt;

    IpAddress address;
    if (parsed.is_v4() || (parsed.is_v6() && parsed.to_v6().is_v4_mapped())) {
        const auto v4 = parsed.is_v4() ? parsed.to_v4()
                                       : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6());
        const auto bytes = v4.to_bytes();
        std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
    } else {
        address.is_v6 = true;
        address.bytes = parsed.to_v6().to_bytes();
    }
    return address;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto address = parse_ip_address(text.substr(0, slash));
    if (!address) return std::nullopt;

    const unsigned max_length = address->is_v6 ? 128 : 32;
    unsigned length = max_length;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), length);
        if (digits.empty() || result.ec != std::errc() || result.ptr != digits.data() + digits.size() ||
            length > max_length) {
            return std::nullopt;
        }
    }
    IpNetwork network;
    network.base_ = *address;
    network.prefix_length_ = length;
    // Keep only the network part, so "10.20.3.4/16" means 10.20.0.0/16.
    for (unsigned bit = length; bit < max_length; ++bit) {
        network.base_.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    }
    return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
    if (address.is_v6 != base_.is_v6) return false;
    const unsigned whole_bytes = prefix_length_ / 8;
    for (unsigned i = 0; i < whole_bytes; ++i) {
        if (address.bytes[i] != base_.bytes[i]) return false;
    }
    const unsigned rest = prefix_length_ % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - rest));
    return (address.bytes[whole_bytes] & mask) == base_.bytes[whole_bytes];
}

std::string IpNetwork::to_string() const {
    std::string text;
    if (base_.is_v6) {
        text = boost::asio::ip::address_v6(base_.bytes).to_string();
    } else {
        text =
            boost::asio::ip::address_v4({base_.bytes[0], base_.bytes[1], base_.bytes[2], base_.bytes[3]}).to_string();
    }
    return text + "/" + std::to_string(prefix_length_);
}

bool looks_like_ip_network(std::string_view text) {
    if (text.find('/') != std::string_view::npos) return true;
    return parse_ip_address(text).has_value();
}

}  // namespace smbreaper::rules
