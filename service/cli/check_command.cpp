#include <cstdio>
#include <string>

#include "sessions/utf8.h"
#include "config/policy_loader.h"
#include "rules/explain.h"
#include "service/cli/commands.h"
#include "sessions/json_writer.h"

namespace smbreaper::cli {
namespace {

struct CheckOptions {
    std::string file;
    bool explain = false;
    std::string format = "text";
};

std::string counted(std::size_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
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

int run_check(const CheckOptions& options) {
    const PolicyLoadResult result = load_policy_file(path_from_utf8(options.file));
    const Diagnostics& diagnostics = result.diagnostics;

    if (options.format == "json") {
        std::string out = diagnostics.render_json();
        if (options.explain && result.policy) {
            // Splice the rules' explanations into the same object.
            out.pop_back();  // newline
            out.pop_back();  // closing brace
            out += ",\"rules\":" + explanation_json(*result.policy) + "}\n";
        }
        std::fputs(out.c_str(), stdout);
    } else {
        std::fputs(diagnostics.render_text().c_str(), stdout);
        if (result.policy) {
            if (options.explain) {
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
    CLI::App* command = app.add_subcommand("check", "Validate a policy file and report every problem with its location");
    command->add_option("file", options->file, "The policy file")->required();
    command->add_flag("--explain", options->explain,
                      "Print each rule as one canonical line, with warnings about rules that cannot fire");
    command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    command->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace smbreaper::cli
