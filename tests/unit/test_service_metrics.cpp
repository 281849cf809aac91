// The service's metrics, fed by real cycles over a scripted table and a real audit trail, read
// back in the text exposition format.
#include <catch2/catch.hpp>

#include <regex>

#include "cycle_test_support.h"
#include "service/daemon/service_metrics.h"
#include "service/metrics/metrics_textfile.h"
#include "service/metrics/textfile_writer.h"

using smbreaper::config::LoadedPolicy;
using smbreaper::daemon::CycleReport;
using smbreaper::daemon::ServiceMetrics;
using smbreaper::metrics::exposition_text;
using smbreaper::sessions::SourceErrorKind;

using namespace std::chrono_literals;
using namespace smbreaper;
using namespace smbreaper::test;

namespace {

// The value of the one series of `name` whose labels include every label in `labels` (written
// `name="value"`, as the exposition writes them), or nothing when there is none.
std::optional<double> value_of(const std::string& text, const std::string& name,
                               const std::vector<std::string>& labels = {}) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with('#') || !line.starts_with(name)) continue;
        const std::string_view rest = std::string_view(line).substr(name.size());
        if (!rest.starts_with('{') && !rest.starts_with(' ')) continue;  // a longer name
        if (!std::all_of(labels.begin(), labels.end(),
                         [&](const std::string& label) { return rest.find(label) != std::string_view::npos; }))
            continue;
        return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return std::nullopt;
}

std::string recorded(ServiceMetrics& metrics, const CycleReport& report, bool internal_error = false) {
    metrics.record_cycle(report, "snapshot", internal_error, 12ms, std::chrono::system_clock::from_time_t(1700000000));
    return exposition_text(*metrics.registry());
}

sessions::SessionRecord with_dialect(sessions::SessionRecord session, const std::string& dialect) {
    session.dialect = dialect;
    return session;
}

}  // namespace

TEST_CASE("a cycle's sessions, verdicts and closures become series", "[metrics]") {
    CycleFixture f;
    f.table.write({with_dialect(row(1, "alice", 7200), "3.1.1"), with_dialect(row(2, "bob", 10), "3.1.1"),
                   with_dialect(row(3, "carol", 20), "2.1")});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 1.0}\n",
                                        "  - {name: keep-carol, action: keep, match: {user: carol}}\n" + kIdleRule);
    ServiceMetrics metrics;
    const std::string text = recorded(metrics, f.cycle.run_once(p, kNoon));
    INFO(text);
    REQUIRE(value_of(text, "smbreaper_sessions", {"source=\"snapshot\"", "dialect=\"3.1.1\""}) == 2);
    REQUIRE(value_of(text, "smbreaper_sessions", {"dialect=\"2.1\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_verdicts", {"rule=\"idle-1h\"", "verdict=\"close\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_verdicts", {"rule=\"keep-carol\"", "verdict=\"keep\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_verdicts", {"rule=\"\"", "verdict=\"keep\""}) == 1);  // bob: no rule
    REQUIRE(value_of(text, "smbreaper_closures_total", {"rule=\"idle-1h\"", "outcome=\"closed\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_cycles_total", {"result=\"ok\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_cycles_total", {"result=\"source_error\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_cycle_duration_seconds_count") == 1);
    REQUIRE(value_of(text, "smbreaper_cycle_duration_seconds_bucket", {"le=\"0.025\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_cycle_duration_seconds_bucket", {"le=\"0.01\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_cycle_phase_seconds", {"phase=\"evaluate\""}).has_value());
    REQUIRE(value_of(text, "smbreaper_last_successful_cycle_timestamp_seconds") == 1700000000);
    REQUIRE(value_of(text, "smbreaper_safety_limit_tripped", {"counted=\"sessions\""}) == 0);
    // Every series has its HELP and TYPE.
    REQUIRE(text.find("# TYPE smbreaper_closures_total counter") != std::string::npos);
    REQUIRE(text.find("# TYPE smbreaper_cycle_duration_seconds histogram") != std::string::npos);
    REQUIRE(text.find("# HELP smbreaper_sessions ") != std::string::npos);

    // Counters add up over cycles; gauges say the last cycle only, and series that are gone go.
    f.table.write({with_dialect(row(2, "bob", 7200), "3.0.2"), with_dialect(row(3, "carol", 20), "2.1")});
    const std::string second = recorded(metrics, f.cycle.run_once(p, kNoon));
    INFO(second);
    REQUIRE(value_of(second, "smbreaper_closures_total", {"rule=\"idle-1h\"", "outcome=\"closed\""}) == 2);
    REQUIRE_FALSE(value_of(second, "smbreaper_sessions", {"dialect=\"3.1.1\""}).has_value());
    REQUIRE(value_of(second, "smbreaper_sessions", {"dialect=\"3.0.2\""}) == 1);
    REQUIRE_FALSE(value_of(second, "smbreaper_verdicts", {"rule=\"\""}).has_value());
    REQUIRE(value_of(second, "smbreaper_cycles_total", {"result=\"ok\""}) == 2);
}

TEST_CASE("audit mode and guards: what-if entries and guarded sessions are counted", "[metrics]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 7200, 3)});  // bob holds files open
    const LoadedPolicy p = cycle_policy("  mode: audit\n  limits: {confirm_polls: 1}\n", kIdleRule);
    ServiceMetrics metrics;
    metrics.record_policy(p, true);
    const std::string text = recorded(metrics, f.cycle.run_once(p, kNoon));
    INFO(text);
    REQUIRE(value_of(text, "smbreaper_what_if_entries_total", {"rule=\"idle-1h\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_guarded_sessions", {"guard=\"open_files\""}) == 1);
    // The rule's closure series exist from the start, at zero, so the first closure is an increase.
    REQUIRE(value_of(text, "smbreaper_closures_total", {"rule=\"idle-1h\"", "outcome=\"closed\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_closures_total", {"rule=\"idle-1h\"", "outcome=\"refused\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_mode", {"mode=\"audit\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_mode", {"mode=\"enforce\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_policy_info", {"sha256=\"" + std::string(64, 'b') + "\""}) == 1);

    LoadedPolicy replaced = p;
    replaced.sha256 = std::string(64, 'c');
    metrics.record_policy(replaced, false);
    metrics.record_reload(true);
    const std::string after = exposition_text(*metrics.registry());
    REQUIRE_FALSE(value_of(after, "smbreaper_policy_info", {"sha256=\"" + std::string(64, 'b') + "\""}).has_value());
    REQUIRE(value_of(after, "smbreaper_policy_info", {"sha256=\"" + std::string(64, 'c') + "\""}) == 1);
    REQUIRE(value_of(after, "smbreaper_mode", {"mode=\"enforce\""}) == 1);
    REQUIRE(value_of(after, "smbreaper_policy_reloads_total", {"result=\"succeeded\""}) == 1);
    REQUIRE(value_of(after, "smbreaper_policy_reloads_total", {"result=\"rejected\""}) == 0);
}

TEST_CASE("a failing source is counted by kind and leaves the last table's values", "[metrics]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 10)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n", kIdleRule);
    ServiceMetrics metrics;
    recorded(metrics, f.cycle.run_once(p, kNoon));
    f.table.before_list([](int) { throw sessions::SourceError("smbstatus exited with status 1"); });
    const CycleReport failed = f.cycle.run_once(p, kNoon);
    REQUIRE_FALSE(failed.source_ok);
    const std::string text = recorded(metrics, failed);
    INFO(text);
    REQUIRE(value_of(text, "smbreaper_cycles_total", {"result=\"source_error\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_source_errors_total", {"kind=\"failed\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_source_errors_total", {"kind=\"timeout\""}) == 0);
    REQUIRE(value_of(text, "smbreaper_sessions", {"source=\"snapshot\""}) == 1);

    CycleReport timed_out;
    timed_out.source_ok = false;
    timed_out.source_error_kind = SourceErrorKind::Timeout;
    REQUIRE(value_of(recorded(metrics, timed_out), "smbreaper_source_errors_total", {"kind=\"timeout\""}) == 1);
    REQUIRE(value_of(recorded(metrics, CycleReport{}, true), "smbreaper_cycles_total", {"result=\"internal_error\""}) ==
            1);
}

TEST_CASE("the audit trail's writes, refusals and head are reported", "[metrics]") {
    CycleFixture f;
    ServiceMetrics metrics;
    const storage::AuditEntry event = storage::event_entry(storage::EntryKind::Start);
    f.audit.append(event);
    metrics.record_audit(f.audit.write_counts(), f.audit.head().seq, 0);
    std::string text = exposition_text(*metrics.registry());
    REQUIRE(value_of(text, "smbreaper_audit_entries_appended_total") == 1);
    REQUIRE(value_of(text, "smbreaper_audit_chain_head_sequence") == static_cast<double>(f.audit.head().seq));

    storage::AuditEntry bad = event;
    bad.policy_sha256 = "not hex";
    REQUIRE_THROWS(f.audit.append(bad));
    f.audit.append({event, event});
    metrics.record_audit(f.audit.write_counts(), f.audit.head().seq, 2);
    metrics.record_blocks(3);
    text = exposition_text(*metrics.registry());
    REQUIRE(value_of(text, "smbreaper_audit_entries_appended_total") == 3);
    REQUIRE(value_of(text, "smbreaper_audit_append_failures_total") == 1);
    REQUIRE(value_of(text, "smbreaper_audit_unwritten_outcomes") == 2);
    REQUIRE(value_of(text, "smbreaper_blocks_in_force") == 3);
}

TEST_CASE("the textfile is replaced whole, and holds what the endpoint serves", "[metrics]") {
    TempDir dir;
    ServiceMetrics metrics;
    metrics.record_blocks(1);
    const auto file = dir.path() / "smbreaper.prom";
    metrics::write_metrics_textfile(file, *metrics.registry());
    REQUIRE(read_file(file) == exposition_text(*metrics.registry()));
    metrics.record_blocks(2);
    metrics::write_metrics_textfile(file, *metrics.registry());
    REQUIRE(value_of(read_file(file), "smbreaper_blocks_in_force") == 2);
    // Nothing but the file is left in its folder.
    REQUIRE(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
    REQUIRE_THROWS_WITH(metrics::write_metrics_textfile(dir.path() / "missing" / "x.prom", *metrics.registry()),
                        Catch::Matchers::Contains("missing"));
}

TEST_CASE("the textfile writer writes the newest metrics on its own thread, and what is asked before it stops",
          "[metrics]") {
    TempDir dir;
    ServiceMetrics metrics;
    const auto file = dir.path() / "smbreaper.prom";
    {
        metrics::TextfileWriter writer(metrics.registry());
        metrics.record_blocks(1);
        writer.request(file);
        writer.wait_until_written();
        REQUIRE(value_of(read_file(file), "smbreaper_blocks_in_force") == 1);
        for (int cycle = 2; cycle <= 50; ++cycle) {
            metrics.record_blocks(cycle);
            writer.request(file);
        }
    }  // gone: the last request was written first
    REQUIRE(value_of(read_file(file), "smbreaper_blocks_in_force") == 50);
    // A folder that does not exist: logged, and the writer goes on.
    metrics::TextfileWriter writer(metrics.registry());
    writer.request(dir.path() / "missing" / "x.prom");
    writer.wait_until_written();
    writer.request(file);
    writer.wait_until_written();
    REQUIRE(value_of(read_file(file), "smbreaper_blocks_in_force") == 50);
}

TEST_CASE("a cycle that read no table (outcomes still waiting) leaves the last table's values", "[metrics]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 10)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n", kIdleRule);
    ServiceMetrics metrics;
    recorded(metrics, f.cycle.run_once(p, kNoon));
    CycleReport waiting;  // what run_once gives when the trail still refuses earlier outcomes
    waiting.audit_failed = true;
    const std::string text = recorded(metrics, waiting);
    INFO(text);
    REQUIRE(value_of(text, "smbreaper_cycles_total", {"result=\"audit_failed\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_sessions", {"source=\"snapshot\""}) == 1);
    REQUIRE(value_of(text, "smbreaper_verdicts", {"verdict=\"keep\""}) == 1);
}
