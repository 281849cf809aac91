#pragma once

#include <cstdint>
#include <string>

namespace smbreaper::common {

// The operating systems smbreaper is built for, as bits: a set of them says where something runs.
enum PlatformBits : std::uint8_t {
    kLinux = 1,
    kWindows = 2,
    kEveryPlatform = kLinux | kWindows,
};

// The platform of this build (common/posix/, common/windows/).
PlatformBits this_platform();

// "Linux", "Windows", or "Linux and Windows".
std::string platform_names(std::uint8_t platforms);

}  // namespace smbreaper::common
