#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/condition.h"
#include "rules/open_file_selector.h"
#include "rules/time_window.h"
#include "sessions/session_source.h"

namespace smbreaper::rules {

enum class PolicyMode { Audit, Enforce };
// close: end the session; close_files: close the opens of the session that `files` selects,
// keeping the session; keep; audit: record that it would close.
enum class RuleAction { Close, CloseFiles, Keep, Audit };

std::string_view to_string(PolicyMode mode);
std::string_view to_string(RuleAction action);

struct Limits {
    std::uint64_t max_closes_per_cycle = 50;
    double max_close_fraction = 0.5;
    std::uint64_t confirm_polls = 2;
};

// settings.protect.open_files: which open files keep a session from being closed.
enum class OpenFilesProtection {
    Off,     // false: none
    Any,     // any (true): any open file, the default
    Writes,  // writes: only files open with write, append or delete access (or unknown access)
};

std::string_view to_string(OpenFilesProtection protection);

struct Protections {
    bool machine_accounts = true;
    bool non_default_instances = true;
    OpenFilesProtection open_files = OpenFilesProtection::Any;
};

// settings.blocks: the limits of `smbreaper block`.
struct BlockSettings {
    std::uint64_t max_duration_seconds = std::uint64_t{24} * 3600;  // the longest block
    std::vector<std::string> never;  // users and addresses never blocked (exact, any case)
    bool configured = false;         // the policy sets settings.blocks or settings.samba.blocks_file: blocks are used
};

struct LogSettings {
    std::filesystem::path file;  // a rotating log file; empty: none
    std::string level = "info";  // trace, debug, info, warn, error, critical
};

// settings.metrics: the Prometheus metrics, served over HTTP and written to a file, each optional.
struct MetricsSettings {
    std::string listen;              // "IPv4:PORT" the /metrics endpoint listens on (normalised); empty: no endpoint
    bool allow_remote = false;       // a listen address beyond loopback was asked for explicitly
    std::filesystem::path textfile;  // rewritten atomically after every cycle; empty: none

    bool operator==(const MetricsSettings&) const = default;
};

struct Settings {
    PolicyMode mode = PolicyMode::Audit;
    std::uint64_t poll_interval_seconds = 30;
    sessions::SourceSettings source;              // settings.source, and settings.samba for the samba source
    std::filesystem::path audit_db = "audit.db";  // resolved against the policy's folder
    std::optional<std::uint64_t> audit_retention_seconds;
    Limits limits;
    Protections protect;
    BlockSettings blocks;
    LogSettings log;
    MetricsSettings metrics;
};

// Where something was written in the policy file (1-based; 0 when unknown).
struct SourceLocation {
    int line = 0;
    int column = 0;
};

struct Rule {
    std::string name;
    std::string description;
    bool enabled = true;
    RuleAction action = RuleAction::Keep;
    Condition match;
    std::vector<Condition> exceptions;  // if any holds, the rule does not match
    bool allow_open_files = false;
    std::optional<OpenFileSelector> files;  // set exactly when action is close_files
    std::optional<TimeWindow> when;
    SourceLocation location;
};

// A validated, compiled policy: what the evaluator runs.
struct Policy {
    int version = 1;
    Settings settings;
    std::map<std::string, std::vector<std::string>> lists;
    std::vector<Rule> rules;     // in file order: the first rule that matches decides
    std::filesystem::path file;  // the file it was loaded from, when any

    // True when some rule tests `client` against an address block, so the evaluator parses each
    // session's client name as an address once.
    bool client_networks_used = false;
};

}  // namespace smbreaper::rules
