// `smbreaper close-file`: Close-SmbOpenFile. Closes the open files the filters select, asking first
// on a terminal, and records each closure in the audit trail (mode manual) before and after it.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
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
#include "service/closing/manual_file_close.h"
#include "service/session_source_factory.h"
#include "sessions/open_file_json.h"
#include "sessions/session_source.h"
#include "storage/audit_errors.h"

namespace smbreaper::cli {
using smbreaper::closing::FileCloseOptions;
using smbreaper::closing::FileClosure;
using smbreaper::closing::ManualFileClose;
using smbreaper::common::host_name;
using smbreaper::service::make_session_table;
using smbreaper::sessions::find_source;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::shown;
using smbreaper::sessions::SourceDescriptor;
using smbreaper::sessions::to_open_files_json;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

namespace {

struct CloseFileOptions {
    SourceOptions source;
    FilterOptions filters;
    ClosingFlags flags;
};

std::string describe(const OpenFileRecord& open) {
    return "file " + open.file_id + " (" + shown(open.path) + ", user " + shown(open.client_user_name) + ", client " +
           shown(open.client_computer_name) + ")";
}

std::string details_json(const CloseFileOptions& options, const OpenFileFilter& filter) {
    nlohmann::ordered_json details{{"command", "smbreaper close-file"}, {"os_user", os_user_details()}};
    details["filters"] = nlohmann::ordered_json::parse(filter.to_json());
    details["force"] = options.flags.force;
    return details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One line per open on standard error; true when every one was closed or was already gone.
bool report_outcomes(const std::vector<FileClosure>& closures) {
    bool all_ended = true;
    for (const FileClosure& closure : closures) {
        const std::string file = describe(closure.open);
        if (closure.outcome == Outcome::Closed) {
            print_note("closed " + file);
        } else if (closure.outcome == Outcome::Vanished) {
            print_note(file + " was already closed (" + closure.detail + ")");
        } else {
            all_ended = false;
            print_note(file + " not closed (" + std::string(to_string(*closure.outcome)) + "): " + closure.detail);
        }
    }
    return all_ended;
}

int close_files(const CloseFileOptions& options) {
    const OpenFileFilter filter(options.filters.values());
    if (filter.empty()) {
        print_error("close-file needs a filter (--file-id, --session-id, --client-user-name, ...)");
        return kExitUsage;
    }
    const ConfiguredSource configured = configure_source(options.source);
    const SourceDescriptor* source = find_source(configured.settings.source.name);
    if (source && !source->cannot_close_files.empty()) {
        print_error("close-file cannot work with the " + std::string(source->name) +
                    " source: " + std::string(source->cannot_close_files) + ". Nothing closed.");
        return kExitFailure;
    }
    if (configured.settings.audit_db.empty()) {
        print_error("close-file records every closure in an audit trail: with --source, name it with --audit-db FILE");
        return kExitUsage;
    }
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    const std::vector<OpenFileRecord> opens = table->list_open_files();
    const OpenFileSelection selection = filter.select(opens);
    if (!selection.unmatched.empty()) {
        for (const std::string& message : selection.unmatched) print_error(message);
        print_error("nothing closed");
        return kExitFailure;
    }
    if (selection.records.empty()) {
        std::fprintf(stderr, "no open files to close\n");
        return kExitOk;
    }
    for (const OpenFileRecord* open : selection.records) {
        if (open->session_id) continue;
        print_error(describe(*open) +
                    ": the session holding it is unknown, so its closure could not be recorded against it; "
                    "nothing closed");
        return kExitFailure;
    }
    if (!options.flags.force && !options.flags.what_if && !standard_input_is_terminal()) {
        print_error(
            "close-file asks before closing each file, but standard input is not a terminal: nothing closed. "
            "Add --force to close without asking (try --what-if first).");
        return kExitFailure;
    }

    try {
        AuditStore audit = AuditStore::open_for_writing(configured.settings.audit_db);
        ManualFileClose closer(*table, audit,
                               {host_name(), configured.policy ? configured.policy->sha256 : std::string(),
                                details_json(options, filter)});
        if (options.flags.what_if) {
            closer.record_what_if(selection.records);
            for (const OpenFileRecord* open : selection.records)
                std::printf("What if: Performing operation 'Close-File' on Target '%s'.\n", open->file_id.c_str());
            return kExitOk;
        }
        std::vector<const OpenFileRecord*> to_close;
        if (options.flags.force) {
            to_close = selection.records;
        } else {
            ConfirmationPrompt prompt(std::cin, std::cerr);
            for (const OpenFileRecord* open : selection.records) {
                if (prompt.confirm("Close-File", open->file_id)) to_close.push_back(open);
            }
        }
        if (to_close.empty()) return kExitOk;

        InterruptWatch interrupt;
        FileCloseOptions close_options;
        close_options.recheck = [&filter](const OpenFileRecord& current) {
            return filter.matches(current) ? std::string() : "no longer matches the filters: " + describe(current);
        };
        close_options.stop_requested = [&interrupt] { return interrupt.requested(); };
        close_options.max_concurrent = options.flags.max_concurrent();
        const ManualFileClose::Result result =
            closer.close(to_close, close_options, kCloseLockWait, print_waiting_for_other_close);
        bool ok = report_outcomes(result.closures);
        ok = report_close_bookkeeping(result.interrupted_resolved, result.outcome_write_error) && ok;
        if (options.flags.passthru) {
            std::vector<const OpenFileRecord*> closed;
            for (const FileClosure& closure : result.closures) {
                if (closure.closed()) closed.push_back(&closure.open);
            }
            const std::string json = to_open_files_json(closed);
            std::fwrite(json.data(), 1, json.size(), stdout);
        }
        return ok ? kExitOk : kExitFailure;
    } catch (const AuditError& error) {
        print_audit_refused(configured.settings.audit_db.string(), error.what());
        return kExitFailure;
    }
}

}  // namespace

void add_close_file_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CloseFileOptions>();
    CLI::App* command = app.add_subcommand(
        "close-file",
        "Close files the clients hold open (Close-SmbOpenFile), asking first, and record each in the "
        "audit trail; the sessions stay");
    add_source_options(*command, options->source, true);
    add_file_id_option(*command, options->filters);
    add_filter_options(*command, options->filters);
    add_closing_flags(*command, options->flags, "files");
    command->callback([options, &exit_code] { exit_code = close_files(*options); });
}

}  // namespace smbreaper::cli
