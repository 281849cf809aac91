#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/policy_reloader.h"
#include "rules/policy.h"
#include "service/cli/record_filter.h"

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

// Close-SmbSession's filters (and Close-SmbOpenFile's -FileId) as typed on the command line,
// each repeatable.
struct FilterOptions {
    std::vector<std::string> file_ids;
    std::vector<std::uint64_t> session_ids;
    std::vector<std::string> client_computer_names;
    std::vector<std::string> client_user_names;
    std::vector<std::string> scope_names;
    std::vector<std::string> cluster_node_names;
    std::vector<std::string> smb_instances;

    // The values for SessionFilter; the option checks have made sure every one is valid.
    FilterValues values() const;
};

void add_source_options(CLI::App& command, SourceOptions& options, bool with_audit_db);
// Returns the options it added.
std::vector<CLI::Option*> add_filter_options(CLI::App& command, FilterOptions& options);
// --file-id, for the commands about open files.
CLI::Option* add_file_id_option(CLI::App& command, FilterOptions& options);

// What `close` and `close-file` share: Close-SmbSession's and Close-SmbOpenFile's switches.
struct ClosingFlags {
    bool force = false;
    bool what_if = false;
    bool passthru = false;
    std::size_t throttle_limit = 0;  // 0: kDefaultThrottleLimit

    std::size_t max_concurrent() const { return throttle_limit == 0 ? kDefaultThrottleLimit : throttle_limit; }
    static constexpr std::size_t kDefaultThrottleLimit = 4;
};
// How long a close waits for another `close` or `close-file` on the same trail to finish.
inline constexpr std::chrono::seconds kCloseLockWait{60};

// --force, --what-if, --passthru and --throttle-limit; `what` names what is closed ("sessions").
void add_closing_flags(CLI::App& command, ClosingFlags& flags, const std::string& what);

// The settings the options name, and the policy when they came from one.
struct ConfiguredSource {
    rules::Settings settings;  // with --source: audit_db empty unless --audit-db was given
    std::shared_ptr<const config::LoadedPolicy> policy;
};

// Throws std::runtime_error naming every problem of a policy that is not valid.
ConfiguredSource configure_source(const SourceOptions& options);

}  // namespace smbreaper::cli
