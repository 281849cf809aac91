#include <cstdio>
#include <string>

#include "common/json_writer.h"
#include "common/utf8.h"
#include "config/policy_loader.h"
#include "rules/explain.h"
#include "rules/field_coverage.h"
#include "service/cli/commands.h"
#include "service/cli/output_format.h"
#include "service/session_source_factory.h"

namespace smbreaper::cli {
using smbreaper::common::JsonWriter;
using smbreaper::common::path_from_utf8;
using smbreaper::config::Diagnostics;
using smbreaper::config::load_policy_file;
using smbreaper::config::PolicyLoadResult;
using smbreaper::rules::explain_rule;
using smbreaper::rules::Field;
using smbreaper::rules::field_descriptor;
using smbreaper::rules::fields_not_provided;
using smbreaper::rules::Policy;
using smbreaper::rules::Rule;
using smbreaper::rules::to_string;
using smbreaper::service::make_session_table;
using smbreaper::sessions::find_source;
using smbreaper::sessions::SourceDescriptor;
using smbreaper::sessions::to_string;

namespace {

struct CheckOptions {
    std::string file;
    bool explain = false;
    OutputFormat format = OutputFormat::Text;
};

std::string counted(std::size_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// The fields the policy's source cannot give, by name; empty when the source is unknown here.
std::vector<std::string> unknown_fields(const Policy& policy) {
    std::vector<std::string> names;
    if (const SourceDescriptor* source = find_source(policy.settings.source.name)) {
        for (const Field field : fields_not_provided(*source)) names.emplace_back(field_descriptor(field).name);
    }
    return names;
}

// "source wmi: shares, encrypted and signed are unknown for every session"
std::string explain_source(const Policy& policy) {
    const SourceDescriptor* source = find_source(policy.settings.source.name);
    const std::string name = source != nullptr ? std::string(source->name) : policy.settings.source.name;
    const std::vector<std::string> unknown = unknown_fields(policy);
    if (source != nullptr && source->every_property) return "source " + name + ": the fields its file holds";
    if (unknown.empty()) return "source " + name + ": every field";
    std::string list;
    for (std::size_t i = 0; i < unknown.size(); ++i) {
        if (i > 0) list += i + 1 == unknown.size() ? " and " : ", ";
        list += unknown[i];
    }
    return "source " + name + ": " + list + (unknown.size() == 1 ? " is" : " are") + " unknown for every session";
}

std::string explanation_json(const Policy& policy) {
    std::string out;
    JsonWriter json(out);
    json.begin_array();
    for (const Rule& rule : policy.rules) {
        json.begin_object();
        json.key("name").value(rule.name);
        json.key("line").value(static_cast<std::int64_t>(rule.location.line));
        json.key("text").value(explain_rule(rule));
        json.end_object();
    }
    json.end_array();
    return out;
}

std::string source_json(const Policy& policy) {
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    const SourceDescriptor* source = find_source(policy.settings.source.name);
    json.key("name").value(source != nullptr ? std::string(source->name) : policy.settings.source.name);
    json.key("unknown_fields").begin_array();
    for (const std::string& field : unknown_fields(policy)) json.value(field);
    json.end_array();
    json.end_object();
    return out;
}

// A policy that uses blocks (settings.blocks or settings.samba.blocks_file) on a source that runs
// here: what in the server's setup keeps them from working, as warnings.
void warn_about_block_setup(const Policy& policy, Diagnostics& diagnostics) {
    if (!policy.settings.blocks.configured) return;
    const SourceDescriptor* source = find_source(policy.settings.source.name);
    if (source == nullptr || !source->runs_here() || source->every_property) return;
    try {
        for (const std::string& problem : make_session_table(policy.settings)->block_setup_problems()) {
            diagnostics.warning({}, "blocks-setup", problem);
        }
    } catch (const std::exception& error) {
        diagnostics.warning({}, "blocks-setup", std::string("cannot tell whether blocks can work: ") + error.what());
    }
}

int run_check(const CheckOptions& options) {
    PolicyLoadResult result = load_policy_file(path_from_utf8(options.file));
    if (result.policy) warn_about_block_setup(*result.policy, result.diagnostics);
    const Diagnostics& diagnostics = result.diagnostics;

    if (options.format == OutputFormat::Json) {
        std::string out = diagnostics.render_json();
        if (options.explain && result.policy) {
            // Splice the rules' explanations into the same object.
            out.pop_back();  // newline
            out.pop_back();  // closing brace
            out +=
                ",\"source\":" + source_json(*result.policy) + ",\"rules\":" + explanation_json(*result.policy) + "}\n";
        }
        std::fputs(out.c_str(), stdout);
    } else {
        std::fputs(diagnostics.render_text().c_str(), stdout);
        if (result.policy) {
            if (options.explain) {
                std::printf("%s\n", explain_source(*result.policy).c_str());
                for (const Rule& rule : result.policy->rules) std::printf("%s\n", explain_rule(rule).c_str());
            }
            std::printf("%s: valid (%s, mode %s, %s)\n", options.file.c_str(),
                        counted(result.policy->rules.size(), "rule").c_str(),
                        std::string(to_string(result.policy->settings.mode)).c_str(),
                        counted(diagnostics.warning_count(), "warning").c_str());
        } else {
            std::printf("%s: invalid (%s, %s)\n", options.file.c_str(),
                        counted(diagnostics.error_count(), "error").c_str(),
                        counted(diagnostics.warning_count(), "warning").c_str());
        }
    }
    return result.policy ? kExitOk : kExitFailure;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* command =
        app.add_subcommand("check", "Validate a policy file and report every problem with its location");
    command->add_option("file", options->file, "The policy file")->required();
    command->add_flag("--explain", options->explain,
                      "Print each rule as one canonical line, with warnings about rules that cannot fire");
    add_format_option(*command, options->format, {OutputFormat::Text, OutputFormat::Json}, "text or json");
    command->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace smbreaper::cli
