#include "service/daemon/service_manager_link.h"

namespace smbreaper::daemon {

// `smbreaper run` on Windows is a console program: no service manager waits for news from it.
void connect_to_service_manager(ReaperService::Options&) {}

}  // namespace smbreaper::daemon
