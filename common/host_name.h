#pragma once

#include <string>

namespace smbreaper::common {

// This machine's name, as the audit trail records it and Samba names the local cluster node;
// "localhost" when the system does not say.
std::string host_name();

}  // namespace smbreaper::common
