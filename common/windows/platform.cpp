#include "common/platform.h"

namespace smbreaper {

PlatformBits this_platform() { return kWindows; }

}  // namespace smbreaper
