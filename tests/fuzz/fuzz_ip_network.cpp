// Client addresses and CIDR blocks ("10.20.0.0/16", "fe80::1%eth0", "[::1]").
// Invariants: a block contains its own base address, and prints as a block that parses to the
// same block; an address is in the block of itself.

#include "fuzz_check.h"
#include "rules/ip_network.h"

using smbreaper::rules::IpNetwork;
using smbreaper::rules::looks_like_ip_network;
using smbreaper::rules::parse_ip_address;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    (void)looks_like_ip_network(text);
    if (const auto address = parse_ip_address(text)) {
        const auto single = IpNetwork::parse(text);
        fuzz::require(single && single->contains(*address), "an address is in the block of itself");
    }
    if (const auto network = IpNetwork::parse(text)) {
        const std::string printed = network->to_string();
        const auto again = IpNetwork::parse(printed);
        fuzz::require(again && again->to_string() == printed, "a printed block parses to the same block");
        const auto base = parse_ip_address(printed.substr(0, printed.find('/')));
        fuzz::require(base && network->contains(*base), "a block contains its base address");
    }
    return 0;
}
