#include "config/policy_lint.h"

namespace smbreaper {

SourceSetting::Kind platform_default_source() { return SourceSetting::Kind::Wmi; }

}  // namespace smbreaper
