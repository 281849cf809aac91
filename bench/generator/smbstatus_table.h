#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "bench/generator/session_mix.h"

namespace smbreaper::bench {

struct SmbstatusTableOptions {
    std::size_t sessions = 1000;
    std::uint64_t seed = kDefaultSeed;
};

// The document `smbstatus --json` prints on a Samba 4.17 server (one line, Samba's spacing,
// every member it writes) for the sessions drawn from SessionMix: `sessions`, one tree connect per
// share in `tcons`, and in `open_files` one open per NumOpens, a fifth of them on 40 files that
// many sessions share, each open with the share mode, access mask and caching Samba details.
void write_smbstatus_table(std::ostream& out, const SmbstatusTableOptions& options);
std::string smbstatus_table(const SmbstatusTableOptions& options);

}  // namespace smbreaper::bench
