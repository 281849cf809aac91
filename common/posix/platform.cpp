#include "common/platform.h"

namespace smbreaper::common {

PlatformBits this_platform() { return kLinux; }

}  // namespace smbreaper::common
