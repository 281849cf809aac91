#include "common/platform.h"

namespace smbreaper {

PlatformBits this_platform() { return kLinux; }

}  // namespace smbreaper
