// `smbreaper audit list|export|verify|prune|upgrade`: the audit trail from the command line.

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/host_name.h"
#include "common/sha256.h"
#include "common/utc_time.h"
#include "common/utf8.h"
#include "rules/duration.h"
#include "service/cli/audit_db_location.h"
#include "service/cli/commands.h"
#include "service/cli/output_format.h"
#include "storage/audit_entry.h"
#include "storage/audit_export.h"
#include "storage/audit_query.h"
#include "storage/audit_schema.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

namespace smbreaper::cli {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::host_name;
using smbreaper::common::is_sha256_hex;
using smbreaper::common::parse_utc_timestamp;
using smbreaper::common::path_from_utf8;
using smbreaper::rules::parse_duration;
using smbreaper::sessions::to_string;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::ChainHead;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::ExportFormat;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::kAllOutcomes;
using smbreaper::storage::kAuditSchemaVersion;
using smbreaper::storage::make_entry_writer;
using smbreaper::storage::Outcome;
using smbreaper::storage::PruneResult;
using smbreaper::storage::to_string;
using smbreaper::storage::verify_chain;
using smbreaper::storage::VerifyResult;

namespace {

using Clock = std::chrono::system_clock;

// --db FILE or --policy FILE: where the audit trail is.
struct DatabaseChoice {
    std::string db;
    std::string policy;

    std::filesystem::path path() const {
        if (!db.empty()) return path_from_utf8(db);
        if (policy.empty()) throw CLI::RequiredError("--db FILE or --policy FILE");
        return audit_db_from_policy(path_from_utf8(policy));
    }

    // For the commands that write: they work on a trail, they never start a new one (a typing
    // mistake must not create an empty file).
    std::filesystem::path existing_path() const {
        std::filesystem::path file = path();
        std::error_code error;
        if (!std::filesystem::exists(file, error)) throw std::runtime_error("no audit trail at " + file.string());
        return file;
    }
};

void add_database_options(CLI::App* command, DatabaseChoice& choice) {
    auto* db = command->add_option("--db", choice.db, "The audit database file");
    auto* policy =
        command->add_option("--policy", choice.policy, "A policy file; its settings.audit_db names the database");
    db->excludes(policy);
}

// "24h" (that long before now) or an ISO 8601 time.
std::string time_bound(const std::string& text, Clock::time_point now) {
    if (const auto time = parse_utc_timestamp(text)) return format_utc_timestamp(*time);
    if (const auto seconds = parse_duration(text)) return format_utc_timestamp(now - std::chrono::seconds(*seconds));
    throw std::invalid_argument("'" + text + "' is neither a time nor a duration");
}

const CLI::Validator kTimeOrDuration(
    [](std::string& text) -> std::string {
        if (parse_utc_timestamp(text) || parse_duration(text)) return {};
        return "'" + text + "' is neither a time (2024-05-01T12:00:00Z) nor a duration (24h)";
    },
    "TIME|DURATION");

const CLI::Validator kDuration(
    [](std::string& text) -> std::string {
        return parse_duration(text) ? std::string() : "'" + text + "' is not a duration (90d, 12h, 1h30m)";
    },
    "DURATION");

const CLI::Validator kSha256(
    [](std::string& text) -> std::string {
        for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return is_sha256_hex(text) ? std::string() : "an anchor is a head hash: 64 hex digits";
    },
    "HASH");

struct FilterOptions {
    std::string since;
    std::string until;
    std::vector<std::string> users;
    std::vector<std::string> clients;
    std::vector<std::string> rules;
    std::vector<std::string> outcomes;
    std::vector<std::uint64_t> session_ids;

    EntryFilter to_filter(Clock::time_point now) const {
        EntryFilter filter;
        if (!since.empty()) filter.since = time_bound(since, now);
        if (!until.empty()) filter.until = time_bound(until, now);
        filter.users = users;
        filter.clients = clients;
        filter.rules = rules;
        filter.outcomes = outcomes;
        filter.session_ids = session_ids;
        return filter;
    }
};

void add_filter_options(CLI::App* command, FilterOptions& filters) {
    std::vector<std::string> outcome_names;
    for (const Outcome outcome : kAllOutcomes) outcome_names.emplace_back(to_string(outcome));
    command->add_option("--since", filters.since, "Entries at or after this time, or this long ago (24h)")
        ->check(kTimeOrDuration);
    command->add_option("--until", filters.until, "Entries before this time, or before this long ago")
        ->check(kTimeOrDuration);
    command->add_option("--user", filters.users, "ClientUserName glob (repeatable)");
    command->add_option("--client", filters.clients, "ClientComputerName glob (repeatable)");
    command->add_option("--rule", filters.rules, "Rule name glob (repeatable)");
    command->add_option("--outcome", filters.outcomes, "Outcome (repeatable)")->check(CLI::IsMember(outcome_names));
    command->add_option("--session-id", filters.session_ids, "SessionId (repeatable)");
}

std::string count_entries(std::int64_t count) { return std::to_string(count) + (count == 1 ? " entry" : " entries"); }

// Writes the selected entries to stdout, or to a file opened in binary mode so that CSV keeps
// its CRLF line ends on every platform.
void write_entries(const AuditStore& store, const EntryFilter& filter, ExportFormat format,
                   const std::string& output_file) {
    std::ofstream file;
    if (!output_file.empty()) {
        file.open(path_from_utf8(output_file), std::ios::binary | std::ios::trunc);
        if (!file) throw std::runtime_error("cannot write " + output_file);
    }
    std::ostream& out = output_file.empty() ? std::cout : file;
    const auto writer = make_entry_writer(format, out);
    for_each_entry(store, filter, [&](const AuditRow& row) { writer->write(row); });
    writer->finish();
    if (!out)
        throw std::runtime_error("writing " + (output_file.empty() ? std::string("the output") : output_file) +
                                 " failed");
}

struct ListOptions {
    DatabaseChoice database;
    FilterOptions filters;
    OutputFormat format = OutputFormat::Table;
    std::string output;
};

ExportFormat export_format(OutputFormat format) {
    switch (format) {
        case OutputFormat::Table: return ExportFormat::Table;
        case OutputFormat::Csv: return ExportFormat::Csv;
        case OutputFormat::Json: return ExportFormat::Json;
        case OutputFormat::JsonLines: return ExportFormat::JsonLines;
        case OutputFormat::Text: break;
    }
    throw std::logic_error("the audit trail is not written as text");
}

void add_list_command(CLI::App& audit, int& exit_code) {
    auto options = std::make_shared<ListOptions>();
    auto* list = audit.add_subcommand("list", "Show audit entries");
    add_database_options(list, options->database);
    add_filter_options(list, options->filters);
    add_format_option(*list, options->format, {OutputFormat::Table, OutputFormat::Csv, OutputFormat::Json},
                      "table, csv or json (an array)");
    list->callback([options, &exit_code] {
        const AuditStore store = AuditStore::open_read_only(options->database.path());
        write_entries(store, options->filters.to_filter(Clock::now()), export_format(options->format), {});
        exit_code = kExitOk;
    });
}

void add_export_command(CLI::App& audit, int& exit_code) {
    auto options = std::make_shared<ListOptions>();
    auto* command = audit.add_subcommand("export", "Write audit entries with every column, for other tools");
    add_database_options(command, options->database);
    add_filter_options(command, options->filters);
    add_format_option(*command, options->format, {OutputFormat::JsonLines, OutputFormat::Csv},
                      "json (one object per line) or csv (for Excel)");
    command->add_option("-o,--output", options->output, "Write to this file instead of standard output");
    command->callback([options, &exit_code] {
        const AuditStore store = AuditStore::open_read_only(options->database.path());
        write_entries(store, options->filters.to_filter(Clock::now()), export_format(options->format), options->output);
        exit_code = kExitOk;
    });
}

void print_verify_result(const AuditStore& store, const VerifyResult& result) {
    const ChainHead& head = result.head;
    if (result.problem) {
        std::printf("audit trail %s: BROKEN", store.path().string().c_str());
        if (result.problem->seq) std::printf(" at entry %lld", static_cast<long long>(*result.problem->seq));
        std::printf(": %s\n", result.problem->reason.c_str());
        std::printf("fits up to: seq %lld sha256 %s (%s checked)\n", static_cast<long long>(head.seq),
                    head.hash.c_str(), count_entries(result.entries).c_str());
        return;
    }
    std::printf("audit trail %s: intact\n", store.path().string().c_str());
    if (result.entries == 0) {
        std::printf("entries:    0\n");
    } else {
        std::printf("entries:    %lld (seq %lld to %lld)\n", static_cast<long long>(result.entries),
                    static_cast<long long>(head.seq) - static_cast<long long>(result.entries) + 1,
                    static_cast<long long>(head.seq));
    }
    std::printf("head:       seq %lld sha256 %s\n", static_cast<long long>(head.seq), head.hash.c_str());
    if (result.checkpoint) {
        std::printf("checkpoint: entries through seq %lld pruned at %s (older than %s)\n",
                    static_cast<long long>(result.checkpoint->seq), result.checkpoint->pruned_at.c_str(),
                    result.checkpoint->cutoff.c_str());
    }
    if (result.anchor_seq) std::printf("anchor:     found at seq %lld\n", static_cast<long long>(*result.anchor_seq));
}

void add_verify_command(CLI::App& audit, int& exit_code) {
    struct VerifyOptions {
        DatabaseChoice database;
        std::string anchor;
    };
    auto options = std::make_shared<VerifyOptions>();
    auto* verify =
        audit.add_subcommand("verify", "Recompute the hash chain and report the first entry that does not fit");
    add_database_options(verify, options->database);
    verify->add_option("--anchor", options->anchor, "A head hash logged earlier; fail if the chain no longer holds it")
        ->transform(kSha256);
    verify->callback([options, &exit_code] {
        const AuditStore store = AuditStore::open_read_only(options->database.path());
        std::optional<std::string> anchor;
        if (!options->anchor.empty()) anchor = options->anchor;
        const VerifyResult result = verify_chain(store, anchor);
        print_verify_result(store, result);
        exit_code = result.intact() ? kExitOk : kExitFailure;
    });
}

void add_prune_command(CLI::App& audit, int& exit_code) {
    struct PruneOptions {
        DatabaseChoice database;
        std::string older_than;
    };
    auto options = std::make_shared<PruneOptions>();
    auto* prune = audit.add_subcommand("prune", "Remove old entries, keeping a checkpoint so the chain still verifies");
    add_database_options(prune, options->database);
    prune->add_option("--older-than", options->older_than, "Remove entries older than this (90d)")
        ->required()
        ->check(kDuration);
    prune->callback([options, &exit_code] {
        const auto age = std::chrono::seconds(*parse_duration(options->older_than));
        AuditStore store = AuditStore::open_for_writing(options->database.existing_path());
        const PruneResult result = store.prune_before(Clock::now() - age, host_name(),
                                                      "smbreaper audit prune --older-than " + options->older_than);
        if (result.removed == 0) {
            std::printf("nothing to prune: no entry is older than %s\n", options->older_than.c_str());
        } else {
            std::printf("pruned %s (through seq %lld); checkpoint sha256 %s; recorded as entry %lld\n",
                        count_entries(result.removed).c_str(), static_cast<long long>(result.checkpoint->seq),
                        result.checkpoint->hash.c_str(), static_cast<long long>(result.pruned_entry->seq));
        }
        exit_code = kExitOk;
    });
}

void add_upgrade_command(CLI::App& audit, int& exit_code) {
    auto database = std::make_shared<DatabaseChoice>();
    auto* upgrade = audit.add_subcommand(
        "upgrade", "Bring an audit database written by an older smbreaper to this version's schema");
    add_database_options(upgrade, *database);
    upgrade->callback([database, &exit_code] {
        const AuditStore store = AuditStore::open_for_writing(database->existing_path());
        std::printf("audit trail %s: schema version %d\n", store.path().string().c_str(), kAuditSchemaVersion);
        exit_code = kExitOk;
    });
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
    auto* audit = app.add_subcommand("audit", "List, export, verify and prune the audit trail");
    audit->require_subcommand(1);
    add_list_command(*audit, exit_code);
    add_export_command(*audit, exit_code);
    add_verify_command(*audit, exit_code);
    add_prune_command(*audit, exit_code);
    add_upgrade_command(*audit, exit_code);
}

}  // namespace smbreaper::cli
