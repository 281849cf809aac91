// `smbreaper unblock`: lifts incident blocks before they expire, recording who lifted them and why.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "common/case_folding.h"
#include "common/host_name.h"
#include "service/blocking/block_keeper.h"
#include "service/blocking/block_request.h"
#include "service/cli/commands.h"
#include "service/cli/confirmation_prompt.h"
#include "service/cli/error_output.h"
#include "service/cli/manual_close_messages.h"
#include "service/cli/os_user.h"
#include "service/cli/session_options.h"
#include "service/cli/terminal.h"
#include "service/default_paths.h"
#include "service/session_source_factory.h"
#include "storage/audit_errors.h"

namespace smbreaper::cli {
using smbreaper::blocking::BlockError;
using smbreaper::blocking::BlockKeeper;
using smbreaper::common::fold_case;
using smbreaper::common::host_name;
using smbreaper::service::make_session_table;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Block;

namespace {

struct UnblockOptions {
    SourceOptions source;
    std::vector<std::string> users;
    std::vector<std::string> clients;
    std::vector<std::int64_t> ids;
    std::string reason;
    bool force = false;
};

bool named(const UnblockOptions& options, const Block& block) {
    if (std::find(options.ids.begin(), options.ids.end(), block.id) != options.ids.end()) return true;
    const std::vector<std::string>& names = block.target.kind == BlockKind::User ? options.users : options.clients;
    return std::any_of(names.begin(), names.end(), [&block](const std::string& name) {
        return block.target.kind == BlockKind::User ? fold_case(name) == fold_case(block.target.name)
                                                    : name == block.target.name;
    });
}

int unblock(const UnblockOptions& options) {
    if (options.users.empty() && options.clients.empty() && options.ids.empty()) {
        print_error("unblock needs which block: --client-user-name, --client-computer-name or --id");
        return kExitUsage;
    }
    if (options.reason.empty()) {
        print_error("--reason is empty: say why, for the audit trail");
        return kExitUsage;
    }
    const ConfiguredSource configured = configure_source(options.source);
    if (!options.force && !standard_input_is_terminal()) {
        print_error(
            "unblock asks before lifting, but standard input is not a terminal: nothing lifted. Add --force to lift "
            "without asking.");
        return kExitFailure;
    }
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    try {
        AuditStore audit = AuditStore::open_for_writing(configured.settings.audit_db);
        std::vector<Block> chosen;
        for (const Block& block : audit.blocks_in_force()) {
            if (named(options, block)) chosen.push_back(block);
        }
        if (chosen.empty()) {
            print_error("no block in force matches; `smbreaper blocks` lists them");
            return kExitFailure;
        }
        if (!options.force) {
            ConfirmationPrompt prompt(std::cin, std::cerr);
            std::erase_if(chosen, [&prompt](const Block& block) {
                return !prompt.confirm("Unblock", describe(block.target) + " (block " + std::to_string(block.id) + ")");
            });
            if (chosen.empty()) return kExitOk;
        }
        BlockKeeper keeper(*table, audit, {host_name(), configured.policy ? configured.policy->sha256 : std::string()});
        try {
            for (const std::string& warning : keeper.lift(chosen, current_os_user().name, options.reason)) {
                print_note("warning: " + warning);
            }
        } catch (const BlockError& error) {
            print_error(error.what());
            return kExitFailure;
        }
        for (const Block& block : chosen) {
            print_note("unblocked " + describe(block.target) + " (block " + std::to_string(block.id) + ")");
        }
        return kExitOk;
    } catch (const AuditError& error) {
        print_audit_refused(configured.settings.audit_db.string(), error.what());
        return kExitFailure;
    }
}

}  // namespace

void add_unblock_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<UnblockOptions>();
    CLI::App* command = app.add_subcommand("unblock", "Lift incident blocks before they expire; audited");
    command->add_option("--policy", options->source.policy,
                        "The service's policy: its audit trail, settings.blocks and where the blocks go (default: " +
                            service::default_policy_path().string() + ")");
    command->add_option("--client-user-name", options->users, "The blocked user (repeatable)");
    command->add_option("--client-computer-name", options->clients, "The blocked client's address (repeatable)");
    command->add_option("--id", options->ids, "The block's id, as `smbreaper blocks` shows it (repeatable)");
    command->add_option("--reason", options->reason, "Why, for the audit trail")->required();
    command->add_flag("--force", options->force, "Do not ask for confirmation");
    command->callback([options, &exit_code] { exit_code = unblock(*options); });
}

}  // namespace smbreaper::cli
