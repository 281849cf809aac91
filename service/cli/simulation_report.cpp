#include "service/cli/simulation_report.h"

#include "service/cli/session_report.h"
#include "sessions/session_json.h"

namespace smbreaper::cli {
using smbreaper::common::JsonWriter;
using smbreaper::rules::Policy;
using smbreaper::rules::PolicyMode;
using smbreaper::rules::Simulation;
using smbreaper::rules::to_string;
using smbreaper::rules::Verdict;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_string;
using smbreaper::sessions::write_session_properties;

std::string simulation_json(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation) {
    std::string out;
    out.reserve(sessions.size() * 400 + 64);
    JsonWriter json(out);
    json.begin_object();
    json.key("mode").value(to_string(policy.settings.mode));
    json.key("refused").value(simulation.refused);
    json.key("sessions").begin_array();
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const Verdict& verdict = simulation.verdicts[i];
        json.begin_object();
        write_verdict_properties(json, verdict);
        write_session_properties(json, sessions[i]);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    out.push_back('\n');
    return out;
}

std::string simulation_text(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation) {
    std::vector<const SessionRecord*> rows;
    rows.reserve(sessions.size());
    for (const SessionRecord& session : sessions) rows.push_back(&session);
    std::string out = sessions_text(rows, simulation.verdicts);

    out += "\n" + std::to_string(sessions.size()) + " sessions: " + std::to_string(simulation.closes) + " close, " +
           std::to_string(simulation.audits) + " audit, " + std::to_string(simulation.keeps) + " keep (" +
           std::to_string(simulation.guarded) + " by a guard). Mode " + std::string(to_string(policy.settings.mode));
    if (simulation.refused) {
        out += ": REFUSED, closing " + std::to_string(simulation.closes) + " of " + std::to_string(sessions.size()) +
               " sessions exceeds max_close_fraction, so the cycle would close nothing.\n";
    } else if (policy.settings.mode == PolicyMode::Audit) {
        out += ": nothing would be closed, closures would be recorded as what-if.\n";
    } else {
        out += ": the close verdicts would be closed (after confirm_polls and max_closes_per_cycle).\n";
    }
    return out;
}

}  // namespace smbreaper::cli
