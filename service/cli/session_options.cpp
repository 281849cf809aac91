#include "service/cli/session_options.h"

#include <filesystem>
#include <stdexcept>

#include "common/utf8.h"
#include "service/cli/wildcard_pattern.h"
#include "service/default_paths.h"
#include "sessions/session_source.h"

namespace smbreaper::cli {
using smbreaper::common::path_from_utf8;
using smbreaper::config::PolicyReloader;
using smbreaper::service::default_policy_path;
using smbreaper::sessions::parse_smb_instance;
using smbreaper::sessions::parse_source_choice;
using smbreaper::sessions::source_choices;

namespace {

const CLI::Validator kWildcard(
    [](std::string& text) -> std::string {
        try {
            [[maybe_unused]] const WildcardPattern checked{text};
            return {};
        } catch (const std::invalid_argument& error) {
            return error.what();
        }
    },
    "PATTERN");

// CLI11 would read "-5" into an unsigned number as 2^64 - 5.
const CLI::Validator kSessionId(
    [](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (digits && (text.size() < 20 || (text.size() == 20 && text <= "18446744073709551615"))) return {};
        return "'" + text + "' is not a SessionId: a whole number from 0 to 18446744073709551615";
    },
    "ID");

const CLI::Validator kSmbInstance(
    [](std::string& text) -> std::string {
        return parse_smb_instance(text) ? std::string()
                                        : "'" + text + "' is not an SmbInstance: Default, CSV, SBL or SR (or 0 to 3)";
    },
    "INSTANCE");

const CLI::Validator kSource(
    [](std::string& text) -> std::string {
        return parse_source_choice(text, {}) ? std::string() : "'" + text + "' is not a source: " + source_choices();
    },
    "SOURCE");

}  // namespace

FilterValues FilterOptions::values() const {
    FilterValues values;
    values.file_ids = file_ids;
    values.session_ids = session_ids;
    values.client_computer_names = client_computer_names;
    values.client_user_names = client_user_names;
    values.scope_names = scope_names;
    values.cluster_node_names = cluster_node_names;
    for (const std::string& text : smb_instances) values.smb_instances.push_back(*parse_smb_instance(text));
    return values;
}

void add_source_options(CLI::App& command, SourceOptions& options, bool with_audit_db) {
    auto* policy = command.add_option(
        "--policy", options.policy,
        "The policy file whose settings name the source (default: " + default_policy_path().string() + ")");
    auto* source =
        command.add_option("--source", options.source, "Read this source instead: samba, wmi or snapshot:PATH")
            ->check(kSource);
    source->excludes(policy);
    command
        .add_option("--smb-conf", options.smb_conf, "With --source samba: the smb.conf (default /etc/samba/smb.conf)")
        ->needs(source);
    if (with_audit_db) {
        command.add_option("--audit-db", options.audit_db, "With --source: the audit trail that records the closures")
            ->needs(source);
    }
}

std::vector<CLI::Option*> add_filter_options(CLI::App& command, FilterOptions& options) {
    const auto name_filter = [&command](const std::string& flag, std::vector<std::string>& values,
                                        const std::string& property) {
        return command.add_option(flag, values, property + ", wildcards allowed (repeatable)")->check(kWildcard);
    };
    return {
        command.add_option("--session-id", options.session_ids, "SessionId (repeatable)")->check(kSessionId),
        name_filter("--client-computer-name", options.client_computer_names, "ClientComputerName"),
        name_filter("--client-user-name", options.client_user_names, "ClientUserName"),
        name_filter("--scope-name", options.scope_names, "ScopeName"),
        name_filter("--cluster-node-name", options.cluster_node_names, "ClusterNodeName"),
        command
            .add_option("--smb-instance", options.smb_instances, "SmbInstance: Default, CSV, SBL or SR (repeatable)")
            ->check(kSmbInstance),
    };
}

void add_closing_flags(CLI::App& command, ClosingFlags& flags, const std::string& what) {
    command.add_flag("--force", flags.force, "Do not ask for confirmation");
    command.add_flag("--what-if", flags.what_if, "Show what would be closed, and record it as what-if; close nothing");
    command.add_flag("--passthru", flags.passthru, "Print the closed " + what + " as JSON");
    command
        .add_option(
            "--throttle-limit", flags.throttle_limit,
            "At most N closes at once (0, the default: " + std::to_string(ClosingFlags::kDefaultThrottleLimit) + ")")
        ->check(CLI::NonNegativeNumber);
}

CLI::Option* add_file_id_option(CLI::App& command, FilterOptions& options) {
    return command.add_option(
        "--file-id", options.file_ids,
        "FileId: Windows' number, or on Samba PID/SHARE_FILE_ID as `files` shows it (repeatable)");
}

ConfiguredSource configure_source(const SourceOptions& options) {
    ConfiguredSource configured;
    if (!options.source.empty()) {
        configured.settings.source = *parse_source_choice(options.source, std::filesystem::current_path());
        if (!options.smb_conf.empty()) configured.settings.source.samba.smb_conf = options.smb_conf;
        configured.settings.audit_db = path_from_utf8(options.audit_db);
        return configured;
    }
    const std::filesystem::path file = options.policy.empty() ? default_policy_path() : path_from_utf8(options.policy);
    PolicyReloader reader(file);
    if (reader.reload() != PolicyReloader::Result::Replaced) {
        throw std::runtime_error("the policy " + file.string() + " is not valid (or name the table with --source):\n" +
                                 (reader.diagnostics() ? reader.diagnostics()->render_text() : std::string()));
    }
    configured.policy = reader.current();
    configured.settings = configured.policy->policy.settings;
    return configured;
}

}  // namespace smbreaper::cli
