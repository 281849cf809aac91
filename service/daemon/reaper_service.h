#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config/policy_reloader.h"
#include "service/blocking/block_keeper.h"
#include "service/daemon/reaper_cycle.h"
#include "service/daemon/service_metrics.h"
#include "service/metrics/metrics_endpoint.h"
#include "service/metrics/textfile_writer.h"
#include "storage/audit_store.h"
#include "storage/service_lock.h"

namespace smbreaper::daemon {

// The exit codes of `smbreaper run` (and of the Windows service's host), documented in
// docs/smbreaper.8.md. With --once they say how the one cycle went, for a timer or a monitoring
// check to see; without it, a graceful stop is 0.
enum RunExitCode : int {
    kRunOk = 0,
    kRunCouldNotStart = 1,  // the policy, the audit trail, its service lock or the source
    kRunSourceFailed = 3,   // the session table could not be read: nothing was closed
    kRunAuditFailed = 4,    // the audit trail refused an entry
    kRunLimitTripped = 5,   // a safety limit refused the cycle's closes
    kRunInternalError = 6,  // a cycle ended on an unexpected error (a defect: the log says what)
};

// How a cycle went, as `run --once` exits: a lost audit entry outranks an unread table, which
// outranks a tripped limit.
RunExitCode exit_code_for(const CycleReport& report);

// The service loop: one io_context, the cycle and every policy or audit action on one strand, a
// poll timer, a policy-file watch, backoff when the source fails, graceful stop and live reload.
// Platform hosts (the foreground `run` command, the Windows service) drive it.
class ReaperService {
public:
    struct Options {
        std::filesystem::path policy_file;
        bool once = false;     // one cycle, then stop
        bool what_if = false;  // force audit mode whatever the policy says
        bool console_log = true;
        bool system_log = true;
        std::chrono::milliseconds watch_interval{1000};  // how often the policy file is looked at
        std::filesystem::path default_log_file;  // the log file when the policy names none (the Windows service's)

        // What the service manager that started the process wants to hear (systemd's sd_notify):
        // each hook may be left empty.
        std::function<void()> on_started;   // start-up succeeded, before the first cycle
        std::function<void()> on_stopping;  // a graceful stop begins
        // Called every heartbeat_interval (0: never) on the cycle's strand, so a cycle that hangs
        // stops the heartbeat.
        std::chrono::milliseconds heartbeat_interval{0};
        std::function<void()> on_heartbeat;
    };

    explicit ReaperService(Options options);
    ~ReaperService();

    // Loads the policy, takes the trail's service lock, opens the audit trail, resolves closures
    // a previous process left pending, then runs cycles until stopped. Returns the process exit
    // code (RunExitCode): with `once`, how that one cycle went.
    int run();

    // Thread-safe, and safe from the signal or service-control thread.
    void request_stop();
    void request_reload();

private:
    bool start_up();
    void schedule_cycle(std::chrono::milliseconds delay);
    void run_cycle();
    void schedule_watch();
    void schedule_heartbeat();
    void reload_policy(const char* why);
    void apply_logging(const rules::Settings& settings);
    void prune_if_due();
    void keep_blocks();
    void shut_down();
    // Starts, moves or stops the /metrics endpoint as settings.metrics.listen says; an endpoint
    // that cannot start is tried again after the next cycle.
    void apply_metrics_settings(const rules::Settings& settings);
    bool metrics_wanted() const;  // settings.metrics asks for the endpoint, the textfile or both
    // Records the cycle into the metrics and has the textfile written, when either output is on.
    void publish_metrics(const CycleReport& report, bool cycle_failed, std::chrono::steady_clock::duration took);

    Options options_;
    boost::asio::io_context io_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer poll_timer_;
    boost::asio::steady_timer watch_timer_;
    boost::asio::steady_timer heartbeat_timer_;
    std::atomic<bool> stop_requested_{false};
    bool stopped_ = false;

    std::string host_;
    config::PolicyReloader policies_;
    std::unique_ptr<storage::ServiceLock> service_lock_;  // declared before audit_: released after the trail is closed
    std::optional<storage::AuditStore> audit_;
    std::mutex table_mutex_;  // guards table_ itself, which request_stop() reaches from another thread
    std::unique_ptr<sessions::SessionTable> table_;
    std::unique_ptr<ReaperCycle> cycle_;
    std::unique_ptr<blocking::BlockKeeper> blocks_;
    ServiceMetrics metrics_;
    std::unique_ptr<metrics::MetricsEndpoint> metrics_endpoint_;
    std::string metrics_endpoint_problem_;                      // why the endpoint last failed to start, logged once
    std::unique_ptr<metrics::TextfileWriter> textfile_writer_;  // once settings.metrics.textfile is set
    int consecutive_source_failures_ = 0;
    int exit_code_ = kRunOk;
    std::chrono::steady_clock::time_point next_prune_{};
};

}  // namespace smbreaper::daemon
