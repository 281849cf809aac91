#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/policy_reloader.h"
#include "rules/policy.h"
#include "service/cli/session_filter.h"

namespace smbreaper::cli {

// Where `sessions` and `close` read the session table from: a policy file's settings (--policy,
// the service's own policy by default), or a source named on the command line (--source with
// --smb-conf, and --audit-db for `close`).
struct SourceOptions {
    std::string policy;
    std::string source;
    std::string smb_conf;
    std::string audit_db;
};

// Close-SmbSession's filters as typed on the command line, each repeatable.
struct FilterOptions {
    std::vector<std::uint64_t> session_ids;
    std::vector<std::string> client_computer_names;
    std::vector<std::string> client_user_names;
    std::vector<std::string> scope_names;
    std::vector<std::string> cluster_node_names;
    std::vector<std::string> smb_instances;

    // The values for SessionFilter; the option checks have made sure every one is valid.
    SessionFilterValues values() const;
};

void add_source_options(CLI::App& command, SourceOptions& options, bool with_audit_db);
// Returns the options it added.
std::vector<CLI::Option*> add_filter_options(CLI::App& command, FilterOptions& options);

// The settings the options name, and the policy when they came from one.
struct ConfiguredSource {
    rules::Settings settings;  // with --source: audit_db empty unless --audit-db was given
    std::shared_ptr<const config::LoadedPolicy> policy;
};

// Throws std::runtime_error naming every problem of a policy that is not valid.
ConfiguredSource configure_source(const SourceOptions& options);

}  // namespace smbreaper::cli
