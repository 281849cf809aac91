// The policy loader: YAML syntax, validation, compilation and lint, then the compiled policy's
// explanations and its evaluation of a varied table (long and hostile names included).
// Invariants: a policy is produced exactly when there are no errors; the JSON diagnostics parse;
// a close_files verdict selects only its own session's opens, never one whose values are unknown.

#include <nlohmann/json.hpp>

#include "config/policy_loader.h"
#include "fuzz_check.h"
#include "rules/explain.h"
#include "rules/simulation.h"

using smbreaper::config::load_policy_text;
using smbreaper::config::PolicyLoadResult;
using smbreaper::rules::explain_rule;
using smbreaper::rules::LocalTime;
using smbreaper::rules::Protections;
using smbreaper::rules::Rule;
using smbreaper::rules::simulate;
using smbreaper::rules::Simulation;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

using namespace smbreaper;

namespace {

SessionRecord session(std::uint64_t id, std::string user, std::string client) {
    SessionRecord s;
    s.session_id = id;
    s.client_user_name = std::move(user);
    s.client_computer_name = std::move(client);
    s.cluster_node_name = "fs01";
    s.dialect = "3.1.1";
    s.dialect_revision = Dialect::Smb3_1_1;
    s.transport_name = "tcp";
    s.scope_name = "*";
    s.smb_instance = SmbInstance::Default;
    return s;
}

// Known and unknown values, machine accounts, IPv4 and IPv6 clients, and names as long as a
// snapshot file may hold.
std::vector<SessionRecord> sample_table() {
    std::vector<SessionRecord> table;
    SessionRecord idle = session(1, "CORP\\alice", "10.20.1.5");
    idle.seconds_idle = 7300;
    idle.seconds_exists = 90000;
    idle.num_opens = 0;
    idle.shares = std::vector<std::string>{"projects", "home"};
    idle.encrypted = true;
    idle.signing = false;
    table.push_back(idle);
    SessionRecord unknown = session(2, "HOST$", "fe80::1%eth0");
    unknown.smb_instance = SmbInstance::CSV;
    unknown.dialect = "2.0.2";
    unknown.dialect_revision = Dialect::Smb2_0_2;
    table.push_back(unknown);
    SessionRecord hostile = session(3, "=cmd|' /C calc'!A0\n\x1b[2J\xc3\xa9", "LAB-7;rm -rf /");
    hostile.seconds_idle = 0;
    hostile.num_opens = 3;
    table.push_back(hostile);
    SessionRecord long_names = session(4, std::string(100'000, 'a'), std::string(100'000, 'b'));
    long_names.seconds_idle = 4'000'000'000u;
    long_names.num_opens = 0;
    long_names.shares = std::vector<std::string>{std::string(100'000, 'c')};
    table.push_back(long_names);
    return table;
}

// Opens of sessions 1 and 4 (known values, read-only and read-write), and one with nothing known.
std::vector<OpenFileRecord> sample_opens(std::chrono::system_clock::time_point now) {
    std::vector<OpenFileRecord> opens(3);
    opens[0].file_id = "1";
    opens[0].session_id = 1;
    opens[0].share_relative_path = "alice\\mail.pst";
    opens[0].permissions = 0x0012019F;
    opens[0].first_seen = now - std::chrono::hours(30);
    opens[1].file_id = "2";
    opens[1].session_id = 4;
    opens[1].share_relative_path = std::string(100'000, 'd') + ".pdf";
    opens[1].permissions = 0x00120089;
    opens[1].opened_at = now;
    opens[2].file_id = "3";
    opens[2].session_id = 1;
    return opens;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<SessionRecord> table = sample_table();
    static const auto now = std::chrono::system_clock::now();
    static const std::optional<std::vector<OpenFileRecord>> opens = sample_opens(now);
    const PolicyLoadResult result = load_policy_text(fuzz::as_text(data, size), "/etc/smbreaper/policy.yaml");
    fuzz::require(result.policy.has_value() != result.diagnostics.has_errors(),
                  "a policy is produced exactly when the file has no errors");
    (void)result.diagnostics.render_text();
    fuzz::require(nlohmann::json::accept(result.diagnostics.render_json()), "check --format json prints JSON");
    if (!result.policy) return 0;

    for (const Rule& rule : result.policy->rules) (void)explain_rule(rule);
    for (int weekday = 0; weekday < 7; weekday += 3) {
        for (int minute = 0; minute < 1440; minute += 419) {
            const Simulation simulation = simulate(*result.policy, table, LocalTime{weekday, minute}, opens, now);
            fuzz::require(simulation.verdicts.size() == table.size(), "one verdict per session");
            for (const auto& selection : simulation.file_closes) {
                for (const OpenFileRecord* open : selection.opens) {
                    fuzz::require(open->session_id == table[selection.session].session_id,
                                  "close_files selects only its own session's opens");
                    fuzz::require(open->file_id != "3", "close_files never selects an open it knows nothing of");
                }
            }
            const Protections& protect = result.policy->settings.protect;
            fuzz::require(!(protect.machine_accounts || protect.non_default_instances) ||
                              simulation.verdicts[1].kind == VerdictKind::Keep,
                          "the guards keep a machine account of a CSV instance");
        }
    }
    return 0;
}
