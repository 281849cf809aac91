// smbreaper-benchgen: writes the benchmark inputs (session tables and policies) described in
// docs/BENCHMARKS.md. Deterministic: the same arguments give the same bytes.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench/generator/policy_generator.h"
#include "bench/generator/smbstatus_table.h"
#include "bench/generator/windows_table.h"

namespace {

struct TableOptions {
    std::string format = "windows";
    std::size_t sessions = 1000;
    std::uint64_t seed = smbreaper::bench::kDefaultSeed;
    std::string output;
};

struct PolicyOptions {
    std::size_t rules = 50;
    std::string output;
};

// Runs `write` on the output file, or on standard output when no file is named.
template <typename Write>
int write_to(const std::string& output, Write write) {
    if (output.empty()) {
        write(std::cout);
        return std::cout.flush() ? 0 : 1;
    }
    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    if (file) write(file);
    if (!file.flush()) {
        std::fprintf(stderr, "smbreaper-benchgen: cannot write %s\n", output.c_str());
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace smbreaper::bench;
    CLI::App app("Writes the session tables and policies smbreaper's benchmarks run on");
    app.require_subcommand(1);
    int exit_code = 0;

    TableOptions table;
    CLI::App* table_command = app.add_subcommand("table", "A session table");
    table_command
        ->add_option("--format", table.format,
                     "windows (ConvertTo-Json), windows-cim (with Select-Object *'s "
                     "CIM properties) or smbstatus (smbstatus --json)")
        ->check(CLI::IsMember({"windows", "windows-cim", "smbstatus"}));
    table_command->add_option("--sessions", table.sessions, "How many sessions")->required();
    table_command->add_option("--seed", table.seed, "Another seed gives another table of the same mix");
    table_command->add_option("--output", table.output, "The file to write; default standard output");
    table_command->callback([&] {
        exit_code = write_to(table.output, [&](std::ostream& out) {
            if (table.format == "smbstatus") {
                write_smbstatus_table(out, {table.sessions, table.seed});
            } else {
                write_windows_table(out, {table.sessions, table.seed, table.format == "windows-cim"});
            }
        });
    });

    PolicyOptions policy;
    CLI::App* policy_command = app.add_subcommand("policy", "A policy");
    policy_command->add_option("--rules", policy.rules, "How many rules (1: the catch-all idle rule alone)")
        ->required()
        ->check(CLI::Range(1, 100000));
    policy_command->add_option("--output", policy.output, "The file to write; default standard output");
    policy_command->callback(
        [&] { exit_code = write_to(policy.output, [&](std::ostream& out) { out << generate_policy(policy.rules); }); });

    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
