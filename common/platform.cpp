#include "common/platform.h"

namespace smbreaper::common {

std::string platform_names(std::uint8_t platforms) {
    if ((platforms & kEveryPlatform) == kEveryPlatform) return "Linux and Windows";
    if ((platforms & kLinux) != 0) return "Linux";
    if ((platforms & kWindows) != 0) return "Windows";
    return "no platform";
}

}  // namespace smbreaper::common
