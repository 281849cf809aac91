#include "service/posix/systemd_notifier.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstring>

namespace smbreaper::daemon {
namespace {

void notify(const char* state) {
    // NOTIFY_SOCKET stays set (unset_environment 0): every later notification needs it. The
    // programs the service runs do not see it: they start with a clean environment.
    const int result = sd_notify(0, state);
    if (result < 0) spdlog::warn("cannot notify systemd ({}): {}", state, std::strerror(-result));
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
    std::uint64_t microseconds = 0;
    if (sd_watchdog_enabled(0, &microseconds) > 0) {
        watchdog_interval_ =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(microseconds / 2));
    }
}

void SystemdNotifier::ready() const { notify("READY=1\nSTATUS=Reaping sessions by policy"); }

void SystemdNotifier::stopping() const { notify("STOPPING=1\nSTATUS=Stopping"); }

void SystemdNotifier::watchdog() const { notify("WATCHDOG=1"); }

}  // namespace smbreaper::daemon
