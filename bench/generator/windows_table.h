#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "bench/generator/session_mix.h"

namespace smbreaper::bench {

struct WindowsTableOptions {
    std::size_t sessions = 1000;
    std::uint64_t seed = kDefaultSeed;
    // Also write the CIM bookkeeping properties (CimClass, CimInstanceProperties,
    // CimSystemProperties) that `Select-Object *` adds: seven times the size, the same sessions.
    bool cim_properties = false;
};

// A session table as Windows PowerShell 5.1 writes it on a file server with
//   Get-SmbSession | Select-Object <properties> | ConvertTo-Json | Out-File -Encoding utf8 FILE
// (a byte-order mark, CRLF line ends, PowerShell's indentation and its two spaces after each
// colon), the sessions drawn from SessionMix.
void write_windows_table(std::ostream& out, const WindowsTableOptions& options);
std::string windows_table(const WindowsTableOptions& options);

}  // namespace smbreaper::bench
