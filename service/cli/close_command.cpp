// `smbreaper close`: Close-SmbSession. Closes the sessions the filters select, asking first on a
// terminal, and records every closure in the audit trail (mode manual) before and after it.

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/host_name.h"
#include "service/cli/commands.h"
#include "service/cli/error_output.h"
#include "service/cli/manual_close_messages.h"
#include "service/cli/os_user.h"
#include "service/cli/record_filter.h"
#include "service/cli/session_closing.h"
#include "service/cli/session_options.h"
#include "service/cli/terminal.h"
#include "service/closing/manual_close.h"
#include "service/session_source_factory.h"
#include "storage/audit_errors.h"

namespace smbreaper::cli {
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ManualClose;
using smbreaper::common::host_name;
using smbreaper::service::make_session_table;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;

namespace {

struct CloseOptions {
    SourceOptions source;
    FilterOptions filters;
    bool all = false;
    ClosingFlags flags;
};

// Who ran the command and how, for the details of every entry.
std::string details_json(const CloseOptions& options, const SessionFilter& filter) {
    nlohmann::ordered_json details{{"command", "smbreaper close"}, {"os_user", os_user_details()}};
    details["filters"] =
        options.all ? nlohmann::ordered_json{{"all", true}} : nlohmann::ordered_json::parse(filter.to_json());
    details["force"] = options.flags.force;
    return details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
        return close_confirmed_connections(
            options.flags,
            [&filter](const SessionRecord& current) {
                return filter.matches(current) ? std::string() : "no longer matches the filters: " + describe(current);
            },
            closer, std::move(connections));
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
