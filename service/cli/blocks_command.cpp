// `smbreaper blocks`: the incident blocks in force, read from the audit trail; an overdue one
// (its time has come, but no service has lifted it yet) is shown as such.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "common/json_writer.h"
#include "common/text_table.h"
#include "common/utc_time.h"
#include "common/utf8.h"
#include "service/cli/audit_db_location.h"
#include "service/cli/commands.h"
#include "service/cli/output_format.h"
#include "service/default_paths.h"
#include "storage/audit_store.h"
#include "storage/csv.h"

namespace smbreaper::cli {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::JsonWriter;
using smbreaper::common::path_from_utf8;
using smbreaper::common::TextTable;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Block;
using smbreaper::storage::csv_line;

namespace {

struct BlocksOptions {
    std::string db;
    std::string policy;
    OutputFormat format = OutputFormat::Table;
};

// "*" for every share.
std::string shares_of(const Block& block) {
    std::string text;
    for (const std::string& share : block.target.shares) text += (text.empty() ? "" : ",") + share;
    return text.empty() ? "*" : text;
}

std::string state_of(const Block& block, std::chrono::system_clock::time_point now) {
    return block.overdue(now) ? "overdue" : "in force";
}

std::string blocks_table(const std::vector<Block>& blocks, std::chrono::system_clock::time_point now) {
    TextTable table({"Id", "Target", "Name", "Shares", "SetAt", "ExpiresAt", "State", "SetBy", "Reason"});
    for (const Block& block : blocks) {
        table.add_row({std::to_string(block.id), std::string(to_string(block.target.kind)), block.target.name,
                       shares_of(block), block.set_at, format_utc_timestamp(block.expires_at), state_of(block, now),
                       block.set_by, block.reason});
    }
    return table.render();
}

std::string blocks_json(const std::vector<Block>& blocks, std::chrono::system_clock::time_point now) {
    std::string out;
    JsonWriter json(out);
    json.begin_array();
    for (const Block& block : blocks) {
        json.begin_object();
        json.key("Id").value(block.id);
        json.key("Target").value(to_string(block.target.kind));
        json.key("Name").value(block.target.name);
        json.key("Shares").begin_array();
        for (const std::string& share : block.target.shares) json.value(share);
        json.end_array();
        json.key("SetAt").value(block.set_at);
        json.key("ExpiresAt").value(format_utc_timestamp(block.expires_at));
        json.key("State").value(state_of(block, now));
        json.key("SetBy").value(block.set_by);
        json.key("Reason").value(block.reason);
        json.key("Host").value(block.host);
        json.end_object();
    }
    json.end_array();
    out.push_back('\n');
    return out;
}

std::string blocks_csv(const std::vector<Block>& blocks, std::chrono::system_clock::time_point now) {
    std::string out =
        csv_line({"Id", "Target", "Name", "Shares", "SetAt", "ExpiresAt", "State", "SetBy", "Reason", "Host"});
    for (const Block& block : blocks) {
        out += csv_line({std::to_string(block.id), std::string(to_string(block.target.kind)), block.target.name,
                         shares_of(block), block.set_at, format_utc_timestamp(block.expires_at), state_of(block, now),
                         block.set_by, block.reason, block.host});
    }
    return out;
}

int list_blocks(const BlocksOptions& options) {
    const std::filesystem::path db =
        !options.db.empty() ? path_from_utf8(options.db)
                            : audit_db_from_policy(options.policy.empty() ? service::default_policy_path()
                                                                          : path_from_utf8(options.policy));
    std::error_code missing;
    if (!std::filesystem::exists(db, missing)) {
        // No trail yet: no block was ever set with it.
        if (options.format == OutputFormat::Table)
            std::fprintf(stderr, "no blocks in force (no audit trail at %s)\n", db.string().c_str());
        if (options.format == OutputFormat::Json) std::fputs("[]\n", stdout);
        if (options.format == OutputFormat::Csv) std::fputs(blocks_csv({}, {}).c_str(), stdout);
        return kExitOk;
    }
    const AuditStore audit = AuditStore::open_read_only(db);
    const std::vector<Block> blocks = audit.blocks_in_force();
    const auto now = std::chrono::system_clock::now();
    std::string report;
    switch (options.format) {
        case OutputFormat::Json: report = blocks_json(blocks, now); break;
        case OutputFormat::Csv: report = blocks_csv(blocks, now); break;
        default:
            if (blocks.empty()) {
                std::fprintf(stderr, "no blocks in force\n");
                return kExitOk;
            }
            report = blocks_table(blocks, now);
            break;
    }
    std::fwrite(report.data(), 1, report.size(), stdout);
    return kExitOk;
}

}  // namespace

void add_blocks_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<BlocksOptions>();
    CLI::App* command = app.add_subcommand("blocks", "List the incident blocks in force, from the audit trail");
    auto* db = command->add_option("--db", options->db, "The audit database file");
    auto* policy = command->add_option("--policy", options->policy,
                                       "A policy file; its settings.audit_db names the database (default: " +
                                           service::default_policy_path().string() + ")");
    db->excludes(policy);
    add_format_option(*command, options->format, {OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv},
                      "table, json or csv");
    command->callback([options, &exit_code] { exit_code = list_blocks(*options); });
}

}  // namespace smbreaper::cli
