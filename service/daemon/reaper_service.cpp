#include "service/daemon/reaper_service.h"

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/host_name.h"
#include "common/phase_timing.h"
#include "common/utc_time.h"
#include "config/file_permissions.h"
#include "service/closing/interrupted_closes.h"
#include "service/daemon/logging.h"
#include "service/daemon/service_signals.h"
#include "service/session_source_factory.h"
#include "storage/audit_errors.h"

namespace smbreaper::daemon {
using smbreaper::closing::CloseWriter;
using smbreaper::closing::resolve_interrupted_closes;
using smbreaper::common::format_milliseconds;
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::host_name;
using smbreaper::config::Diagnostics;
using smbreaper::config::PolicyReloader;
using smbreaper::config::TrustedFile;
using smbreaper::config::unsafe_permissions;
using smbreaper::rules::local_time_now;
using smbreaper::rules::Settings;
using smbreaper::rules::to_string;
using smbreaper::service::make_session_table;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_string;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::ChainHead;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::PruneResult;
using smbreaper::storage::ServiceLock;
using smbreaper::storage::to_string;

namespace {

constexpr std::chrono::minutes kMaxBackoff{10};
constexpr std::chrono::hours kPruneEvery{24};

// "; open files: 3 selected, 1 closed, ..." when a close_files rule selected any, else nothing.
std::string describe_file_closes(const CycleReport::FileCounts& files) {
    if (files.selected == 0 && !files.limit_tripped) return {};
    return fmt::format("; open files: {} selected, {} closed, {} vanished, {} failed, {} refused, {} deferred{}",
                       files.selected, files.closed, files.vanished, files.failed, files.refused, files.deferred,
                       files.limit_tripped ? ", LIMIT TRIPPED" : "");
}

// A multi-line text (a policy's diagnostics: message, source line, caret) as one log line each,
// since no log line holds a line break (common/display_text.h).
void log_lines(spdlog::level::level_enum level, const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        spdlog::log(level, "  {}", std::string_view(text).substr(start, end - start));
        start = end + 1;
    }
}

}  // namespace

RunExitCode exit_code_for(const CycleReport& report) {
    if (report.audit_failed) return kRunAuditFailed;
    if (!report.source_ok) return kRunSourceFailed;
    if (report.limit_tripped) return kRunLimitTripped;
    return kRunOk;
}

ReaperService::ReaperService(Options options)
    : options_(std::move(options)),
      strand_(boost::asio::make_strand(io_)),
      poll_timer_(strand_),
      watch_timer_(strand_),
      heartbeat_timer_(strand_),
      host_(host_name()),
      policies_(options_.policy_file) {}

ReaperService::~ReaperService() = default;

void ReaperService::apply_logging(const Settings& settings) {
    const std::filesystem::path& file = settings.log.file.empty() ? options_.default_log_file : settings.log.file;
    configure_logging({options_.console_log, options_.system_log, file, settings.log.level});
}

bool ReaperService::start_up() {
    // Until the policy says where else to log, log to the console (and the system log), and to the
    // host's default log file if it has one.
    configure_logging({options_.console_log, options_.system_log, options_.default_log_file, "info"});
    if (policies_.reload() != PolicyReloader::Result::Replaced) {
        const Diagnostics* diagnostics = policies_.diagnostics();
        spdlog::critical("the policy {} is not valid; not starting:", options_.policy_file.string());
        if (diagnostics) log_lines(spdlog::level::critical, diagnostics->render_text());
        return false;
    }
    const auto policy = policies_.current();
    apply_logging(policy->policy.settings);

    if (const auto problem = unsafe_permissions(policy->policy.settings.audit_db, TrustedFile::AuditTrail)) {
        spdlog::critical("{}; not starting (an audit trail others can change proves nothing)", *problem);
        return false;
    }
    try {
        audit_.emplace(AuditStore::open_for_writing(policy->policy.settings.audit_db));
    } catch (const AuditError& error) {
        spdlog::critical("cannot open the audit trail {}: {}; not starting (no closure without its audit entry)",
                         policy->policy.settings.audit_db.string(), error.what());
        return false;
    }
    try {
        // Before anything is written: a second service must not even resolve "interrupted"
        // closures that are the first one's closes in progress.
        service_lock_ = std::make_unique<ServiceLock>(policy->policy.settings.audit_db,
                                                      "smbreaper service on " + host_ + ", policy " +
                                                          options_.policy_file.string() + ", since " +
                                                          format_utc_timestamp(std::chrono::system_clock::now()));
    } catch (const AuditError& error) {
        spdlog::critical("{}; not starting", error.what());
        return false;
    }

    try {
        auto table = make_session_table(policy->policy.settings);
        const std::lock_guard lock(table_mutex_);
        table_ = std::move(table);
        if (stop_requested_) table_->stop_waiting();
    } catch (const SourceError& error) {
        spdlog::critical("cannot use the session source: {}; not starting", error.what());
        return false;
    }
    cycle_ = std::make_unique<ReaperCycle>(*table_, *audit_, ReaperCycle::Options{options_.what_if, host_});
    blocks_ =
        std::make_unique<blocking::BlockKeeper>(*table_, *audit_, blocking::BlockEntryContext{host_, policy->sha256});

    try {
        // Closures a previous run of the service began but never recorded the end of (an admin's
        // `smbreaper close` resolves its own).
        const auto resolved = resolve_interrupted_closes(*audit_, CloseWriter::Service);
        if (!resolved.empty()) {
            spdlog::warn("resolved {} closures left pending by a previous run: outcome unknown", resolved.size());
        }
        AuditEntry start = cycle_->stamped(
            event_entry(
                EntryKind::Start,
                nlohmann::json{{"policy_file", options_.policy_file.string()}, {"what_if", options_.what_if}}.dump()),
            *policy);
        AuditEntry loaded = cycle_->stamped(
            event_entry(EntryKind::PolicyLoaded, nlohmann::json{{"policy_file", options_.policy_file.string()},
                                                                {"rules", policy->policy.rules.size()}}
                                                     .dump()),
            *policy);
        audit_->append({start, loaded});
    } catch (const AuditError& error) {
        spdlog::critical("the audit trail refused the start entries: {}; not starting", error.what());
        return false;
    }
    // The blocks whose time came while no service ran are lifted now, and the server's mechanism
    // is rebuilt from the trail.
    keep_blocks();
    metrics_.record_policy(*policy, cycle_->mode_for(*policy) == storage::Mode::Audit);
    apply_metrics_settings(policy->policy.settings);
    spdlog::info("smbreaper started: policy {} (sha256 {}), {} rules, mode {}{}, source {}, audit trail {}",
                 options_.policy_file.string(), policy->sha256, policy->policy.rules.size(),
                 to_string(policy->policy.settings.mode), options_.what_if ? " (forced to audit by --what-if)" : "",
                 table_->name(), policy->policy.settings.audit_db.string());
    return true;
}

int ReaperService::run() {
    if (!start_up()) return kRunCouldNotStart;
    if (options_.on_started) options_.on_started();

    boost::asio::signal_set stop_set(io_), reload_set(io_);
    for (int signal : stop_signals()) stop_set.add(signal);
    for (int signal : reload_signals()) reload_set.add(signal);
    std::function<void()> wait_stop = [&] {
        stop_set.async_wait([&](const boost::system::error_code& error, int signal) {
            if (error) return;
            spdlog::info("signal {}: stopping after the close in progress", signal);
            request_stop();
        });
    };
    std::function<void()> wait_reload = [&] {
        reload_set.async_wait([&](const boost::system::error_code& error, int signal) {
            if (error) return;
            spdlog::info("signal {}: re-reading the policy", signal);
            request_reload();
            wait_reload();
        });
    };
    wait_stop();
    wait_reload();

    schedule_cycle(std::chrono::milliseconds(0));
    if (!options_.once) schedule_watch();
    if (options_.on_heartbeat && options_.heartbeat_interval.count() > 0) schedule_heartbeat();

    // Two threads: the cycle runs on the strand while the other thread can still take a stop
    // signal, so a stop is seen between two closes rather than after the whole cycle.
    std::thread helper([this] { io_.run(); });
    io_.run();
    helper.join();
    return exit_code_;
}

void ReaperService::request_stop() {
    stop_requested_ = true;
    {
        // A cycle waiting on its source (a WMI provider that hangs) gives up rather than hold the stop.
        const std::lock_guard lock(table_mutex_);
        if (table_) table_->stop_waiting();
    }
    boost::asio::post(strand_, [this] { shut_down(); });
}

void ReaperService::request_reload() {
    boost::asio::post(strand_, [this] { reload_policy("reload requested"); });
}

void ReaperService::schedule_cycle(std::chrono::milliseconds delay) {
    poll_timer_.expires_after(delay);
    poll_timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error && !stopped_) run_cycle();
    });
}

void ReaperService::keep_blocks() {
    const blocking::BlockKeeper::KeepResult kept = blocks_->keep(std::chrono::system_clock::now());
    for (const storage::Block& block : kept.expired) {
        spdlog::warn("block {} of {} expired at {}: lifted", block.id, sessions::describe(block.target),
                     format_utc_timestamp(block.expires_at));
    }
    for (const std::string& warning : kept.warnings) spdlog::warn("blocks: {}", warning);
    if (!kept.error.empty()) {
        spdlog::error("cannot bring the server's blocks in step with the audit trail: {}; trying again next cycle",
                      kept.error);
    } else if (kept.enforced) {
        spdlog::info("blocks: the server holds the blocks in force again");
    }
}

void ReaperService::run_cycle() {
    const auto policy = policies_.current();
    prune_if_due();
    CycleReport report;
    bool cycle_failed = false;
    const auto started = std::chrono::steady_clock::now();
    try {
        keep_blocks();
        report = cycle_->run_once(*policy, local_time_now(), [this] { return stop_requested_.load(); });
    } catch (const std::exception& error) {
        // ReaperCycle catches what its steps throw; this is the last net, so that a defect costs
        // one cycle (backed off like a failure) rather than the process.
        cycle_failed = true;
        spdlog::critical("the cycle ended on an unexpected error: {}", error.what());
    }
    {
        // Timed as a phase of its own, so that the log line (and the live benchmarks) show what the
        // metrics cost; the metrics themselves hold the phases before it.
        std::optional<common::PhaseTimer> timer;
        if (metrics_wanted()) timer.emplace(report.phases, "metrics");
        try {
            publish_metrics(report, cycle_failed, std::chrono::steady_clock::now() - started);
        } catch (const std::exception& error) {  // the metrics never cost a cycle, let alone the process
            spdlog::error("metrics: {}", error.what());
        }
    }
    try {
        const ChainHead head = audit_->head();
        spdlog::info(
            "cycle: {} sessions, {} selected, {} confirmed, {} closed, {} what-if, {} vanished, {} failed, "
            "{} refused, {} deferred{}{}; took {} ({}); audit chain head seq {} sha256 {}",
            report.sessions, report.selected, report.confirmed, report.closed, report.what_if, report.vanished,
            report.failed, report.refused, report.deferred, report.limit_tripped ? ", LIMIT TRIPPED" : "",
            describe_file_closes(report.files), format_milliseconds(report.phases.total()), report.phases.describe(),
            head.seq, head.hash);
    } catch (const AuditError& error) {
        spdlog::critical("cannot read the audit chain head: {}", error.what());
    }

    if (options_.once) {
        exit_code_ = cycle_failed ? kRunInternalError : exit_code_for(report);
        shut_down();
        return;
    }
    std::chrono::milliseconds delay = std::chrono::seconds(policy->policy.settings.poll_interval_seconds);
    if (cycle_failed || !report.source_ok || report.audit_failed) {
        // Back off: double the wait for each failure in a row, up to ten minutes.
        ++consecutive_source_failures_;
        const int doublings = std::min(consecutive_source_failures_, 10);
        delay = std::min<std::chrono::milliseconds>(delay * (1 << doublings), kMaxBackoff);
        spdlog::warn("retrying in {} s", std::chrono::duration_cast<std::chrono::seconds>(delay).count());
    } else {
        consecutive_source_failures_ = 0;
    }
    if (!stopped_) schedule_cycle(delay);
}

void ReaperService::schedule_watch() {
    watch_timer_.expires_after(options_.watch_interval);
    watch_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || stopped_) return;
        if (policies_.changed_and_settled()) reload_policy("the policy file changed");
        schedule_watch();
    });
}

void ReaperService::schedule_heartbeat() {
    options_.on_heartbeat();
    heartbeat_timer_.expires_after(options_.heartbeat_interval);
    heartbeat_timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error && !stopped_) schedule_heartbeat();
    });
}

void ReaperService::reload_policy(const char* why) {
    if (stopped_) return;
    const auto previous = policies_.current();
    switch (policies_.reload()) {
        case PolicyReloader::Result::Unchanged: spdlog::info("{}: same content, nothing to do", why); return;
        case PolicyReloader::Result::Rejected: {
            const std::string errors = policies_.diagnostics() ? policies_.diagnostics()->render_text() : "";
            spdlog::critical("{}: the new policy is not valid; the previous one stays in force:", why);
            log_lines(spdlog::level::critical, errors);
            AuditEntry event = cycle_->stamped(
                event_entry(
                    EntryKind::PolicyRejected,
                    nlohmann::json{{"policy_file", options_.policy_file.string()}, {"diagnostics", errors}}.dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace)),
                *previous);
            event.error = "policy rejected; the previous policy stays in force";
            metrics_.record_reload(false);
            try {
                audit_->append(event);
            } catch (const AuditError& error) {
                spdlog::critical("the audit trail refused the policy-rejected event: {}", error.what());
            }
            return;
        }
        case PolicyReloader::Result::Replaced: break;
    }
    const auto policy = policies_.current();
    const Settings& settings = policy->policy.settings;
    apply_logging(settings);
    blocks_->policy_reloaded(policy->sha256);
    metrics_.record_reload(true);
    if (settings.audit_db != previous->policy.settings.audit_db) {
        spdlog::warn("settings.audit_db changed to {}: the service keeps writing {} until it is restarted",
                     settings.audit_db.string(), audit_->path().string());
    }
    const bool source_changed = settings.source != previous->policy.settings.source;
    if (source_changed && cycle_->unwritten_outcomes() > 0) {
        spdlog::error(
            "the new policy names another session source, but closure outcomes still wait to be recorded; "
            "keeping the previous source until they are");
        cycle_->policy_replaced();
    } else if (source_changed) {
        try {
            auto table = make_session_table(settings);
            cycle_ = std::make_unique<ReaperCycle>(*table, *audit_, ReaperCycle::Options{options_.what_if, host_});
            blocks_ = std::make_unique<blocking::BlockKeeper>(*table, *audit_,
                                                              blocking::BlockEntryContext{host_, policy->sha256});
            const std::lock_guard lock(table_mutex_);
            table_ = std::move(table);
        } catch (const SourceError& error) {
            spdlog::error("the new policy's source cannot be used ({}); keeping the previous source", error.what());
            cycle_->policy_replaced();
        }
    } else {
        cycle_->policy_replaced();
    }
    metrics_.record_policy(*policy, cycle_->mode_for(*policy) == storage::Mode::Audit);
    apply_metrics_settings(settings);
    spdlog::info("{}: policy replaced (sha256 {}), {} rules, mode {}", why, policy->sha256, policy->policy.rules.size(),
                 to_string(settings.mode));
    try {
        audit_->append(cycle_->stamped(
            event_entry(EntryKind::PolicyLoaded, nlohmann::json{{"policy_file", options_.policy_file.string()},
                                                                {"rules", policy->policy.rules.size()},
                                                                {"reason", why}}
                                                     .dump()),
            *policy));
    } catch (const AuditError& error) {
        spdlog::critical("the audit trail refused the policy-loaded event: {}", error.what());
    }
}

bool ReaperService::metrics_wanted() const {
    const auto policy = policies_.current();
    return !policy->policy.settings.metrics.listen.empty() || !policy->policy.settings.metrics.textfile.empty();
}

void ReaperService::apply_metrics_settings(const Settings& settings) {
    const std::string& listen = settings.metrics.listen;
    if (metrics_endpoint_ && metrics_endpoint_->listen() == listen) return;
    if (metrics_endpoint_) spdlog::info("metrics: no longer serving /metrics on {}", metrics_endpoint_->listen());
    metrics_endpoint_.reset();
    if (listen.empty()) return;
    try {
        metrics_endpoint_ = std::make_unique<metrics::MetricsEndpoint>(listen, metrics_.registry());
        metrics_endpoint_problem_.clear();
        spdlog::info("metrics: serving http://{}/metrics", listen);
    } catch (const metrics::MetricsError& error) {
        if (metrics_endpoint_problem_ != error.what()) {
            spdlog::error("metrics: {}; trying again after each cycle", error.what());
        }
        metrics_endpoint_problem_ = error.what();
    }
}

void ReaperService::publish_metrics(const CycleReport& report, bool cycle_failed,
                                    std::chrono::steady_clock::duration took) {
    if (!metrics_wanted()) return;
    const auto policy = policies_.current();
    const auto& settings = policy->policy.settings.metrics;
    metrics_.record_cycle(report, table_->name(), cycle_failed, took, std::chrono::system_clock::now());
    try {
        metrics_.record_audit(audit_->write_counts(), audit_->head().seq, cycle_->unwritten_outcomes());
        metrics_.record_blocks(audit_->blocks_in_force().size());
    } catch (const AuditError& error) {
        spdlog::error("metrics: cannot read the audit trail: {}", error.what());
    }
    if (!metrics_endpoint_) apply_metrics_settings(policy->policy.settings);
    if (settings.textfile.empty()) return;
    if (!textfile_writer_) textfile_writer_ = std::make_unique<metrics::TextfileWriter>(metrics_.registry());
    textfile_writer_->request(settings.textfile);
}

void ReaperService::prune_if_due() {
    const auto policy = policies_.current();
    const auto& retention = policy->policy.settings.audit_retention_seconds;
    const auto now = std::chrono::steady_clock::now();
    if (!retention || now < next_prune_) return;
    next_prune_ = now + kPruneEvery;
    try {
        const auto cutoff = std::chrono::system_clock::now() - std::chrono::seconds(*retention);
        const PruneResult result = audit_->prune_before(cutoff, host_, "settings.audit.retention");
        if (result.removed > 0) spdlog::info("pruned {} audit entries older than the retention", result.removed);
    } catch (const AuditError& error) {
        spdlog::error("pruning the audit trail failed: {}", error.what());
    }
}

void ReaperService::shut_down() {
    if (stopped_) return;
    stopped_ = true;
    if (options_.on_stopping) options_.on_stopping();
    poll_timer_.cancel();
    watch_timer_.cancel();
    heartbeat_timer_.cancel();
    try {
        audit_->append(cycle_->stamped(event_entry(EntryKind::Stop), *policies_.current()));
        const ChainHead head = audit_->head();
        spdlog::info("smbreaper stopped; audit chain head seq {} sha256 {}", head.seq, head.hash);
    } catch (const AuditError& error) {
        spdlog::critical("the audit trail refused the stop event: {}", error.what());
    }
    io_.stop();
}

}  // namespace smbreaper::daemon
