// `smbreaper block`: incident response. Keeps users or clients out of the file server until the
// block expires, and closes the sessions they have: the block is recorded, put in force on the
// server, then each session closed under the audit write protocol of `close`.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "common/host_name.h"
#include "common/utc_time.h"
#include "service/blocking/block_keeper.h"
#include "service/blocking/block_request.h"
#include "service/cli/commands.h"
#include "service/cli/confirmation_prompt.h"
#include "service/cli/error_output.h"
#include "service/cli/manual_close_messages.h"
#include "service/cli/os_user.h"
#include "service/cli/session_closing.h"
#include "service/cli/session_options.h"
#include "service/cli/terminal.h"
#include "service/closing/close_planner.h"
#include "service/closing/manual_close.h"
#include "service/default_paths.h"
#include "service/session_source_factory.h"
#include "storage/audit_errors.h"

namespace smbreaper::cli {
using smbreaper::blocking::block_duration;
using smbreaper::blocking::block_refusal;
using smbreaper::blocking::BlockError;
using smbreaper::blocking::BlockKeeper;
using smbreaper::blocking::covers;
using smbreaper::closing::CloseCandidate;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ConnectionGroups;
using smbreaper::closing::group_by_connection;
using smbreaper::closing::ManualClose;
using smbreaper::closing::SessionClosure;
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::host_name;
using smbreaper::service::make_session_table;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Block;

namespace {

struct BlockOptions {
    SourceOptions source;
    std::vector<std::string> users;
    std::vector<std::string> clients;
    std::vector<std::string> shares;
    std::string duration;
    std::string reason;
    ClosingFlags flags;

    std::vector<BlockTarget> targets() const {
        std::vector<BlockTarget> all;
        for (const std::string& name : users) all.push_back({BlockKind::User, name, shares});
        for (const std::string& name : clients) all.push_back({BlockKind::Client, name, shares});
        return all;
    }
};

std::string dumped(const nlohmann::ordered_json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The sessions any of the targets covers.
std::vector<const SessionRecord*> covered_sessions(const std::vector<BlockTarget>& targets,
                                                   const std::vector<SessionRecord>& table) {
    std::vector<const SessionRecord*> covered;
    for (const SessionRecord& session : table) {
        for (const BlockTarget& target : targets) {
            if (covers(target, session)) {
                covered.push_back(&session);
                break;
            }
        }
    }
    return covered;
}

// The connections carrying covered sessions only, and the covered sessions left out: a
// connection that also carries a session nobody blocked (several users over one connection, as a
// terminal server's may) is not closed, since that would end the other session too.
ConnectionGroups closable_connections(const std::vector<BlockTarget>& targets,
                                      const std::vector<SessionRecord>& table) {
    std::vector<CloseCandidate> candidates;
    for (const SessionRecord* session : covered_sessions(targets, table)) candidates.push_back({session, nullptr});
    return group_by_connection(candidates, table);
}

// Says which covered sessions stay open; true when there were any.
bool report_left_open(const ConnectionGroups& groups) {
    for (const CloseCandidate& shared : groups.incomplete) {
        print_error(describe(*shared.session) +
                    " stays open: its connection also carries sessions that are not blocked (the block keeps it "
                    "out of new shares; smbreaper close --session-id with the others ends them all)");
    }
    return !groups.incomplete.empty();
}

std::string covered_by_any(const std::vector<BlockTarget>& targets, const SessionRecord& session) {
    for (const BlockTarget& target : targets) {
        if (covers(target, session)) return {};
    }
    return "no longer one of the blocked users or clients: " + describe(session);
}

int block(const BlockOptions& options) {
    std::vector<BlockTarget> targets = options.targets();
    if (targets.empty()) {
        print_error("block needs whom to keep out: --client-user-name NAME or --client-computer-name ADDRESS");
        return kExitUsage;
    }
    if (options.reason.empty()) {
        print_error("--reason is empty: say why, for the audit trail");
        return kExitUsage;
    }
    const ConfiguredSource configured = configure_source(options.source);
    const auto duration = block_duration(options.duration, configured.settings.blocks);
    if (const auto* problem = std::get_if<std::string>(&duration)) {
        print_error(*problem);
        return kExitUsage;
    }
    const auto length = std::get<std::chrono::seconds>(duration);
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    bool refused = false;
    for (const BlockTarget& target : targets) {
        if (const auto refusal = block_refusal(target, configured.settings, *table)) {
            print_error("cannot block " + describe(target) + ": " + *refusal);
            refused = true;
        }
    }
    if (refused) {
        print_error("nothing blocked");
        return kExitFailure;
    }
    if (!options.flags.force && !options.flags.what_if && !standard_input_is_terminal()) {
        print_error(
            "block asks before blocking, but standard input is not a terminal: nothing blocked. Add --force to block "
            "without asking (try --what-if first).");
        return kExitFailure;
    }

    if (options.flags.what_if) {
        const std::string until = format_utc_timestamp(std::chrono::system_clock::now() + length);
        for (const BlockTarget& target : targets) {
            std::printf("What if: Performing operation 'Block' on Target '%s' until %s.\n", describe(target).c_str(),
                        until.c_str());
        }
        const SessionSnapshot listed = table->list();
        const ConnectionGroups groups = closable_connections(targets, listed.sessions);
        for (const SessionClosure* closure : closing::each_session(groups.complete)) {
            std::printf("What if: Performing operation 'Close-Session' on Target '%llu'.\n",
                        static_cast<unsigned long long>(closure->session->session_id));
        }
        return report_left_open(groups) ? kExitFailure : kExitOk;
    }
    if (!options.flags.force) {
        ConfirmationPrompt prompt(std::cin, std::cerr);
        std::erase_if(targets, [&](const BlockTarget& target) {
            return !prompt.confirm("Block", describe(target) + " for " + options.duration);
        });
        if (targets.empty()) return kExitOk;
    }
    // The block lasts --for from now, however long the confirmation took.
    const auto expires_at = std::chrono::system_clock::now() + length;
    const std::string until = format_utc_timestamp(expires_at);

    const std::string policy_sha256 = configured.policy ? configured.policy->sha256 : std::string();
    try {
        AuditStore audit = AuditStore::open_for_writing(configured.settings.audit_db);
        BlockKeeper keeper(*table, audit, {host_name(), policy_sha256});
        const nlohmann::ordered_json who{{"command", "smbreaper block"}, {"os_user", os_user_details()}};
        BlockKeeper::SetResult result;
        try {
            result = keeper.set(targets, expires_at, options.reason, current_os_user().name, dumped(who));
        } catch (const BlockError& error) {
            print_error(std::string(error.what()) + "; nothing closed");
            return kExitFailure;
        }
        nlohmann::ordered_json details{
            {"command", "smbreaper block"}, {"os_user", os_user_details()}, {"reason", options.reason}};
        nlohmann::ordered_json ids = nlohmann::ordered_json::array();
        for (const Block& block : result.blocks) {
            ids.push_back(block.id);
            print_note("blocked " + describe(block.target) + " until " + until + " (block " + std::to_string(block.id) +
                       ")");
        }
        details["blocks"] = ids;
        for (const std::string& warning : result.warnings) print_note("warning: " + warning);

        // The sessions are listed now that no new one can start: one that connected while the
        // block was being set is closed too.
        const SessionSnapshot snapshot = table->list();
        ConnectionGroups groups = closable_connections(targets, snapshot.sessions);
        const bool left_open = report_left_open(groups);
        if (groups.complete.empty()) {
            if (!left_open) print_note("no sessions to close");
            return left_open ? kExitFailure : kExitOk;
        }
        ManualClose closer(*table, audit, {host_name(), policy_sha256, dumped(details), snapshot.open_files});
        const int closed = close_confirmed_connections(
            options.flags, [&targets](const SessionRecord& current) { return covered_by_any(targets, current); },
            closer, std::move(groups.complete));
        return left_open ? kExitFailure : closed;
    } catch (const AuditError& error) {
        print_audit_refused(configured.settings.audit_db.string(), error.what());
        return kExitFailure;
    }
}

}  // namespace

void add_block_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<BlockOptions>();
    CLI::App* command = app.add_subcommand(
        "block", "Keep users or clients out until the block expires, closing their sessions; audited");
    command->add_option("--policy", options->source.policy,
                        "The service's policy: its audit trail, settings.blocks and where the blocks go (default: " +
                            service::default_policy_path().string() + ")");
    command->add_option("--client-user-name", options->users,
                        "A user to keep out, exactly as sessions show it (repeatable)");
    command->add_option("--client-computer-name", options->clients, "A client to keep out, by IP address (repeatable)");
    command->add_option("--share", options->shares,
                        "Windows: deny the users on this share only (repeatable; default: every share)");
    command->add_option("--for", options->duration, "How long: 30m, 4h, 1d (at most settings.blocks.max_duration)")
        ->required();
    command->add_option("--reason", options->reason, "Why, for the audit trail")->required();
    add_closing_flags(*command, options->flags, "sessions");
    command->callback([options, &exit_code] { exit_code = block(*options); });
}

}  // namespace smbreaper::cli
