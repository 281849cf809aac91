#include "config/policy_lint.h"

namespace smbreaper {

SourceSetting::Kind platform_default_source() { return SourceSetting::Kind::Samba; }

}  // namespace smbreaper
