// The fields of an smbstatus document that are parsed beyond JSON: the peer address
// ("ipv4:127.0.0.1:42744", "ipv6:fe80::1%eth0:445") and the timestamps
// ("2026-11-23T23:56:06.193829+0000").
// Invariants: a parsed IPv4 peer prints back in Samba's spelling and parses to the same endpoint;
// no text holding NUL parses (the address parser would stop at it).

#include "fuzz_check.h"
#include "sessions/samba/ip_endpoint.h"
#include "sessions/samba/smbstatus_time.h"

using smbreaper::sessions::parse_samba_peer_address;
using smbreaper::sessions::parse_smbstatus_time;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    (void)parse_smbstatus_time(text);
    if (const auto peer = parse_samba_peer_address(text)) {
        fuzz::require(text.find('\0') == std::string_view::npos, "a text holding NUL is no peer address");
        const std::string printed = peer->to_string();
        if (peer->is_ipv4()) {
            fuzz::require(parse_samba_peer_address("ipv4:" + printed) == peer, "an IPv4 peer prints back");
        }
    }
    return 0;
}
