#include "service/cli/simulation_report.h"

#include "service/cli/open_file_report.h"
#include "service/cli/session_report.h"
#include "sessions/open_file_json.h"
#include "sessions/session_json.h"

namespace smbreaper::cli {
using smbreaper::common::JsonWriter;
using smbreaper::rules::FileSelection;
using smbreaper::rules::Policy;
using smbreaper::rules::PolicyMode;
using smbreaper::rules::Simulation;
using smbreaper::rules::to_string;
using smbreaper::rules::Verdict;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::to_string;
using smbreaper::sessions::write_open_file_properties;
using smbreaper::sessions::write_session_properties;

std::string simulation_json(const Policy& policy, const SessionSnapshot& table, const Simulation& simulation) {
    const std::vector<SessionRecord>& sessions = table.sessions;
    std::string out;
    out.reserve(sessions.size() * 400 + 64);
    JsonWriter json(out);
    json.begin_object();
    json.key("mode").value(to_string(policy.settings.mode));
    json.key("refused").value(simulation.refused);
    json.key("files_refused").value(simulation.files_refused);
    json.key("sessions").begin_array();
    auto selection = simulation.file_closes.begin();
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const Verdict& verdict = simulation.verdicts[i];
        json.begin_object();
        write_verdict_properties(json, verdict);
        write_session_properties(json, sessions[i]);
        if (verdict.kind == VerdictKind::CloseFiles) {
            json.key("FilesToClose");
            if (!table.open_files) {
                json.null();
            } else {
                json.begin_array();
                if (selection != simulation.file_closes.end() && selection->session == i) {
                    for (const OpenFileRecord* open : selection->opens) {
                        json.begin_object();
                        write_open_file_properties(json, *open);
                        json.end_object();
                    }
                    ++selection;
                }
                json.end_array();
            }
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
    out.push_back('\n');
    return out;
}

std::string simulation_text(const Policy& policy, const SessionSnapshot& table, const Simulation& simulation) {
    const std::vector<SessionRecord>& sessions = table.sessions;
    std::vector<const SessionRecord*> rows;
    rows.reserve(sessions.size());
    for (const SessionRecord& session : sessions) rows.push_back(&session);
    std::string out = sessions_text(rows, simulation.verdicts);

    if (!simulation.file_closes.empty()) {
        std::vector<const OpenFileRecord*> opens;
        for (const FileSelection& selection : simulation.file_closes) {
            opens.insert(opens.end(), selection.opens.begin(), selection.opens.end());
        }
        out += "\nOpen files the close_files rules would close:\n" + open_files_text(opens, table.taken_at);
    }

    out += "\n" + std::to_string(sessions.size()) + " sessions: " + std::to_string(simulation.closes) + " close, ";
    if (simulation.close_files > 0) {
        out += std::to_string(simulation.close_files) + " close_files (";
        out += table.open_files ? std::to_string(simulation.files) + " open files to close" : "open files unknown";
        out += "), ";
    }
    out += std::to_string(simulation.audits) + " audit, " + std::to_string(simulation.keeps) + " keep (" +
           std::to_string(simulation.guarded) + " by a guard). Mode " + std::string(to_string(policy.settings.mode));
    if (simulation.refused) {
        out += ": REFUSED, closing " + std::to_string(simulation.closes) + " of " + std::to_string(sessions.size()) +
               " sessions exceeds max_close_fraction, so the cycle would close nothing.\n";
    } else if (policy.settings.mode == PolicyMode::Audit) {
        out += ": nothing would be closed, closures would be recorded as what-if.\n";
    } else {
        out += ": the close verdicts would be closed (after confirm_polls and max_closes_per_cycle).\n";
    }
    if (simulation.files_refused) {
        out += "Open files: REFUSED, closing " + std::to_string(simulation.files) + " of " +
               std::to_string(table.open_files->size()) +
               " open files exceeds max_close_fraction, so the cycle would close none of them.\n";
    }
    return out;
}

}  // namespace smbreaper::cli
