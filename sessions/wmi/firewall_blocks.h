#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sessions/wmi/bounded_call.h"

namespace smbreaper::sessions {

// Client blocks on Windows: one Windows Firewall rule per blocked address (INetFwPolicy2), denying
// inbound TCP 445 and 139 from it on every profile (SMB over QUIC, UDP 443, is not covered). Each is named kFirewallRulePrefix + the address, so
// smbreaper finds its own rules again and never touches anyone else's.
inline constexpr std::string_view kFirewallRulePrefix = "smbreaper block ";

// Makes smbreaper's rules be exactly one per address of `addresses`: removes those for other
// addresses, adds the missing ones. Every COM call is bounded by `limits`. Throws SourceError.
void enforce_firewall_blocks(const std::vector<std::string>& addresses, const WmiWaitLimits& limits);

}  // namespace smbreaper::sessions
