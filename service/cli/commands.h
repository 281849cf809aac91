#pragma once

#include <CLI/CLI.hpp>

namespace smbreaper::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and found a problem (invalid policy, broken chain...)
inline constexpr int kExitUsage = 2;    // the command line itself is wrong

// Each command registers itself as a subcommand of `app`; when it runs, it stores its exit code
// in `exit_code`. One file per command, so each can be read on its own.
void add_check_command(CLI::App& app, int& exit_code);
void add_simulate_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);
void add_service_command(CLI::App& app, int& exit_code);
void add_sessions_command(CLI::App& app, int& exit_code);
void add_close_command(CLI::App& app, int& exit_code);
void add_files_command(CLI::App& app, int& exit_code);
void add_close_file_command(CLI::App& app, int& exit_code);
void add_block_command(CLI::App& app, int& exit_code);
void add_unblock_command(CLI::App& app, int& exit_code);
void add_blocks_command(CLI::App& app, int& exit_code);

}  // namespace smbreaper::cli
