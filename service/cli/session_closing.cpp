#include "service/cli/session_closing.h"

#include <cstdio>
#include <iostream>
#include <set>

#include "service/cli/commands.h"
#include "service/cli/confirmation_prompt.h"
#include "service/cli/error_output.h"
#include "service/cli/interrupt_watch.h"
#include "service/cli/manual_close_messages.h"
#include "service/closing/close_planner.h"
#include "sessions/connection_key.h"
#include "sessions/snapshot/snapshot_file.h"

namespace smbreaper::cli {
using smbreaper::closing::CloseCandidate;
using smbreaper::closing::ConnectionCloseOptions;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ConnectionGroups;
using smbreaper::closing::each_session;
using smbreaper::closing::group_by_connection;
using smbreaper::closing::ManualClose;
using smbreaper::closing::SessionClosure;
using smbreaper::sessions::connection_key;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::shown;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

namespace {

std::string describe_all(const std::vector<const SessionRecord*>& sessions) {
    std::string text;
    for (const SessionRecord* session : sessions) text += (text.empty() ? "" : ", ") + describe(*session);
    return text;
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

}  // namespace

std::string describe(const SessionRecord& session) {
    return "session " + std::to_string(session.session_id) + " (user " + shown(session.client_user_name) + ", client " +
           shown(session.client_computer_name) + ")";
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
                    ", which are not selected; closing it would end them too. Select all of them, or none.");
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

int close_confirmed_connections(const ClosingFlags& flags,
                                const std::function<std::string(const SessionRecord&)>& recheck, ManualClose& closer,
                                std::vector<ConnectionClosure> connections) {
    InterruptWatch interrupt;
    ConnectionCloseOptions close_options;
    close_options.recheck = recheck;
    close_options.stop_requested = [&interrupt] { return interrupt.requested(); };
    close_options.stop_reason = "interrupted before it was closed";
    close_options.max_concurrent = flags.max_concurrent();
    const ManualClose::Result result =
        closer.close(std::move(connections), close_options, kCloseLockWait, print_waiting_for_other_close);

    bool ok = report_outcomes(result.connections);
    ok = report_close_bookkeeping(result.interrupted_resolved, result.outcome_write_error) && ok;
    if (flags.passthru) {
        std::vector<SessionRecord> closed;
        for (const SessionClosure* closure : each_session(result.connections)) {
            if (closure->closed()) closed.push_back(*closure->session);
        }
        const std::string json = to_windows_snapshot_json(closed);
        std::fwrite(json.data(), 1, json.size(), stdout);
    }
    return ok ? kExitOk : kExitFailure;
}

}  // namespace smbreaper::cli
