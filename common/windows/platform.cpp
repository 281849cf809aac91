#include "common/platform.h"

namespace smbreaper::common {

PlatformBits this_platform() { return kWindows; }

}  // namespace smbreaper::common
