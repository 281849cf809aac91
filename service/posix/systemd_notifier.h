#pragma once

#include <chrono>

namespace smbreaper::daemon {

// Tells systemd how a Type=notify service is doing, through sd_notify(3): READY=1 once it runs,
// WATCHDOG=1 as a heartbeat, STOPPING=1 when a graceful stop begins. Outside such a unit
// (NOTIFY_SOCKET unset) every call does nothing, so `smbreaper run` behaves the same in a shell.
class SystemdNotifier {
public:
    // Reads the unit's watchdog (WATCHDOG_USEC, for this process only) from the environment.
    SystemdNotifier();

    void ready() const;
    void stopping() const;
    void watchdog() const;

    // How often to send WATCHDOG=1: half of the unit's WatchdogSec, as sd_watchdog_enabled(3)
    // advises; zero when the unit has no watchdog for this process.
    std::chrono::milliseconds watchdog_interval() const { return watchdog_interval_; }

private:
    std::chrono::milliseconds watchdog_interval_{0};
};

}  // namespace smbreaper::daemon
