#pragma once

#include "service/daemon/reaper_service.h"

namespace smbreaper::daemon {

// Fills the service's hooks so that it reports to the service manager that started the process:
// systemd's notifications on Linux (service/posix/), nothing on Windows, where `smbreaper run` is a
// console program and the SCM host reports by itself.
void connect_to_service_manager(ReaperService::Options& options);

}  // namespace smbreaper::daemon
