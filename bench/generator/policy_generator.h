#pragma once

#include <cstddef>
#include <string>

namespace smbreaper::bench {

// A policy of `rules` rules (at least 1) in the YAML format of docs/POLICY.md, for the sessions of
// SessionMix: first a keep rule for service accounts, last the usual catch-all "close sessions idle
// for 2 h with nothing open", and between them rules cycling through eight kinds that use globs,
// named lists, CIDR blocks (IPv4 and IPv6), regular expressions, except, when, any/not, and
// every kind of field. With `rules == 1` it is the catch-all alone: the one idle rule the jq and
// Python alternatives apply. Every generated policy passes `smbreaper check` without errors.
std::string generate_policy(std::size_t rules);

}  // namespace smbreaper::bench
