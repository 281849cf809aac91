#include <memory>

#include "service/daemon/service_manager_link.h"
#include "service/posix/systemd_notifier.h"

namespace smbreaper::daemon {

void connect_to_service_manager(ReaperService::Options& options) {
    auto notifier = std::make_shared<const SystemdNotifier>();
    options.on_started = [notifier] { notifier->ready(); };
    options.on_stopping = [notifier] { notifier->stopping(); };
    options.heartbeat_interval = notifier->watchdog_interval();
    options.on_heartbeat = [notifier] { notifier->watchdog(); };
}

}  // namespace smbreaper::daemon
