// `smbreaper close`: Close-SmbSession. Closes the sessions the filters select, asking first on a
// terminal, and records every closure in the audit trail (mode manual) before and after it.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/host_name.h"
#include "service/cli/commands.h"
#include "service/cli/confirmation_prompt.h"
#include "service/cli/error_output.h"
#include "service/cli/interrupt_watch.h"
#include "service/cli/manual_close_messages.h"
#include "service/cli/os_user.h"
#include "service/cli/record_filter.h"
#include "service/cli/session_options.h"
#include "service/cli/terminal.h"
#include "service/closing/close_planner.h"
#include "service/closing/manual_close.h"
#include "service/session_source_factory.h"
#include "sessions/connection_key.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_errors.h"

namespace smbreaper::cli {
using smbreaper::closing::CloseCandidate;
using smbreaper::closing::ConnectionCloseOptions;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ConnectionGroups;
using smbreaper::closing::each_session;
using smbreaper::closing::group_by_connection;
using smbreaper::closing::ManualClose;
using smbreaper::closing::SessionClosure;
using smbreaper::common::host_name;
using smbreaper::rules::to_string;
using smbreaper::service::make_session_table;
using smbreaper::sessions::connection_key;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::shown;
using smbreaper::sessions::to_string;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

namespace {

struct CloseOptions {
    SourceOptions source;
    FilterOptions filters;
    bool all = false;
    ClosingFlags flags;
};

std::string describe(const SessionRecord& session) {
    return "session " + std::to_string(session.session_id) + " (user " + shown(session.client_user_name) + ", client " +
           shown(session.client_computer_name) + ")";
}

// Who ran the command and how, for the details of every entry.
std::string details_json(const CloseOptions& options, const SessionFilter& filter) {
    const OsUser user = current_os_user();
    nlohmann::ordered_json os_user{{"name", user.name}, {"id", user.id}};
    if (!user.sudo_user.empty()) os_user["sudo_user"] = user.sudo_user;
    nlohmann::ordered_json details{{"command", "smbreaper close"}, {"os_user", os_user}};
    details["filters"] =
        options.all ? nlohmann::ordered_json{{"all", true}} : nlohmann::ordered_json::parse(filter.to_json());
    details["force"] = options.flags.force;
    return details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string describe_all(const std::vector<const SessionRecord*>& sessions) {
    std::string text;
    for (const SessionRecord* session : sessions) text += (text.empty() ? "" : ", ") + describe(*session);
    return text;
}

// The selected sessions by connection. Refuses (false) when closing one would end a session the
// filters do not select: Samba ends every session on a connection together.
bool group_connections(const std::vector<const SessionRecord*>& selected, const std::vector<SessionRecord>& table,
                       std::vector<ConnectionClosure>& connections) {
    std::vector<CloseCandidate> candidates;
    candidates.reserve(selected.size());
    for (const SessionRecord* session : selected) candidates.push_back({session, nullptr});
    const ConnectionGroups groups = group_by_connection(candidates, table);
    const std::set<const SessionRecord*> is_selected(selected.begin(), selected.end());
    for (const CloseCandidate& candidate : groups.incomplete) {
        std::vector<const SessionRecord*> left_out;
        for (const SessionRecord& other : table) {
            if (!is_selected.count(&other) && connection_key(other) == connection_key(*candidate.session))
                left_out.push_back(&other);
        }
        print_error(describe(*candidate.session) + " shares its connection with " + describe_all(left_out) +
                    ", which the filters do not select; closing it would end them too. Select all of them, or none.");
    }
    if (!groups.incomplete.empty()) {
        print_error("nothing closed");
        return false;
    }
    connections = groups.complete;
    return true;
}

// Asks about each session as PowerShell does. Returns the connections to close: those whose
// every session was confirmed.
std::vector<ConnectionClosure> confirmed_connections(const std::vector<const SessionRecord*>& selected,
                                                     const std::vector<ConnectionClosure>& connections) {
    std::set<const SessionRecord*> confirmed;
    ConfirmationPrompt prompt(std::cin, std::cerr);
    for (const SessionRecord* session : selected) {
        if (prompt.confirm("Close-Session", std::to_string(session->session_id))) confirmed.insert(session);
    }
    std::vector<ConnectionClosure> to_close;
    for (const ConnectionClosure& connection : connections) {
        std::vector<const SessionRecord*> yes, no;
        for (const SessionClosure& closure : connection.sessions) {
            (confirmed.count(closure.session) ? yes : no).push_back(closure.session);
        }
        if (no.empty()) {
            to_close.push_back(connection);
        } else if (!yes.empty()) {
            print_error("not closing " + describe_all(yes) + ": its connection also carries " + describe_all(no) +
                        ", which you declined, and the sessions on a connection end together");
        }
    }
    return to_close;
}

// One line per session on standard error; true when every one was closed or was already gone.
bool report_outcomes(const std::vector<ConnectionClosure>& connections) {
    bool all_ended = true;
    for (const SessionClosure* closure : each_session(connections)) {
        const std::string session = describe(*closure->session);
        const Outcome outcome = *closure->outcome->outcome;
        if (outcome == Outcome::Closed) {
            print_note("closed " + session);
        } else if (outcome == Outcome::Vanished) {
            print_note(session + " was already gone");
        } else {
            all_ended = false;
            print_note(session + " not closed (" + std::string(to_string(outcome)) + "): " + closure->outcome->error);
        }
    }
    return all_ended;
}

// Closes the confirmed connections through the audit write protocol and reports how each ended.
int close_connections(const CloseOptions& options, const SessionFilter& filter, ManualClose& closer,
                      std::vector<ConnectionClosure> connections) {
    InterruptWatch interrupt;
    ConnectionCloseOptions close_options;
    close_options.recheck = [&filter](const SessionRecord& current) {
        return filter.matches(current) ? std::string() : "no longer matches the filters: " + describe(current);
    };
    close_options.stop_requested = [&interrupt] { return interrupt.requested(); };
    close_options.stop_reason = "interrupted before it was closed";
    close_options.max_concurrent = options.flags.max_concurrent();
    const ManualClose::Result result =
        closer.close(std::move(connections), close_options, kCloseLockWait, print_waiting_for_other_close);

    bool ok = report_outcomes(result.connections);
    ok = report_close_bookkeeping(result.interrupted_resolved, result.outcome_write_error) && ok;
    if (options.flags.passthru) {
        std::vector<SessionRecord> closed;
        for (const SessionClosure* closure : each_session(result.connections)) {
            if (closure->closed()) closed.push_back(*closure->session);
        }
        const std::string json = to_windows_snapshot_json(closed);
        std::fwrite(json.data(), 1, json.size(), stdout);
    }
    return ok ? kExitOk : kExitFailure;
}

int close_sessions(const CloseOptions& options) {
    const SessionFilter filter(options.filters.values());
    if (filter.empty() && !options.all) {
        print_error(
            "close needs a filter (--session-id, --client-user-name, --client-computer-name, ...), or --all "
            "to close every session");
        return kExitUsage;
    }
    const ConfiguredSource configured = configure_source(options.source);
    if (configured.settings.audit_db.empty()) {
        print_error("close records every closure in an audit trail: with --source, name it with --audit-db FILE");
        return kExitUsage;
    }
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    const SessionSnapshot snapshot = table->list();
    const SessionSelection selection = filter.select(snapshot.sessions);
    if (!selection.unmatched.empty()) {
        for (const std::string& message : selection.unmatched) print_error(message);
        print_error("nothing closed");
        return kExitFailure;
    }
    if (selection.records.empty()) {
        std::fprintf(stderr, "no SMB sessions to close\n");
        return kExitOk;
    }
    std::vector<ConnectionClosure> connections;
    if (!group_connections(selection.records, snapshot.sessions, connections)) return kExitFailure;
    if (!options.flags.force && !options.flags.what_if && !standard_input_is_terminal()) {
        print_error(
            "close asks before closing each session, but standard input is not a terminal: nothing closed. "
            "Add --force to close without asking (try --what-if first).");
        return kExitFailure;
    }

    try {
        AuditStore audit = AuditStore::open_for_writing(configured.settings.audit_db);
        ManualClose closer(*table, audit,
                           {host_name(), configured.policy ? configured.policy->sha256 : std::string(),
                            details_json(options, filter), snapshot.open_files});
        if (options.flags.what_if) {
            closer.record_what_if(selection.records);
            for (const SessionRecord* session : selection.records) {
                std::printf("What if: Performing operation 'Close-Session' on Target '%llu'.\n",
                            static_cast<unsigned long long>(session->session_id));
            }
            return kExitOk;
        }
        if (!options.flags.force) connections = confirmed_connections(selection.records, connections);
        if (connections.empty()) return kExitOk;
        return close_connections(options, filter, closer, std::move(connections));
    } catch (const AuditError& error) {
        print_audit_refused(configured.settings.audit_db.string(), error.what());
        return kExitFailure;
    }
}

}  // namespace

void add_close_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CloseOptions>();
    CLI::App* command = app.add_subcommand(
        "close", "Close SMB sessions (Close-SmbSession), asking first, and record each in the audit trail");
    add_source_options(*command, options->source, true);
    const std::vector<CLI::Option*> filters = add_filter_options(*command, options->filters);
    CLI::Option* all = command->add_flag("--all", options->all, "Close every session (instead of filters)");
    for (CLI::Option* filter : filters) all->excludes(filter);
    add_closing_flags(*command, options->flags, "sessions");
    command->callback([options, &exit_code] { exit_code = close_sessions(*options); });
}

}  // namespace smbreaper::cli
