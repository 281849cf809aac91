#pragma once

// Helpers shared by the audit trail's tests: sample entries, raw SQL on the file (as an intruder
// with the sqlite3 shell would write it), and running the smbreaper binary. General helpers
// (TempDir, files) are in test_support.h.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sessions/session_record.h"
#include "storage/audit_entry.h"
#include "storage/audit_row.h"
#include "test_support.h"

namespace smbreaper::test {

sessions::SessionRecord sample_session(std::uint64_t session_id, const std::string& user = "CORP\\alice",
                                       const std::string& client = "10.0.0.5");

// A closure entry as the service would write it: every field set.
storage::AuditEntry sample_closure(std::uint64_t session_id, storage::Outcome outcome,
                                   const std::string& user = "CORP\\alice", const std::string& client = "10.0.0.5",
                                   const std::string& rule = "idle-2h");

// Runs SQL statements on the file directly through the sqlite3 C API. Throws on failure.
void run_sql(const std::filesystem::path& db, const std::string& statements);

// The same, after dropping the append-only triggers, as an intruder would.
void tamper(const std::filesystem::path& db, const std::string& statements);

// "INSERT INTO audit_entry (...) VALUES (...);" for the row, values as SQL literals.
std::string insert_row_sql(const storage::AuditRow& row);

// The single value the query returns, as text ("" for NULL).
std::string query_text(const std::filesystem::path& db, const std::string& query);

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs a program (found on PATH unless the name has a slash) with these arguments, no shell
// involved, standard input from /dev/null, and collects its output. POSIX only
// (audit_test_commands.cpp).
CommandResult run_program(const std::string& program, const std::vector<std::string>& arguments);

// The same for the smbreaper program under test (program_under_test.h).
CommandResult run_smbreaper(const std::vector<std::string>& arguments);

// `smbreaper ARGUMENTS` in the background, for signals and for faults injected while it runs; its
// standard error goes to `log`; `in_child` runs in the new process before the program starts (to
// set its environment). Killed (SIGKILL) and reaped when the object goes, if it still runs. POSIX
// only (audit_test_commands.cpp).
class BackgroundSmbreaper {
public:
    explicit BackgroundSmbreaper(
        const std::vector<std::string>& arguments, const std::filesystem::path& log = "/dev/null",
        const std::function<void()>& in_child = [] {});
    ~BackgroundSmbreaper();
    BackgroundSmbreaper(const BackgroundSmbreaper&) = delete;
    BackgroundSmbreaper& operator=(const BackgroundSmbreaper&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int number) const;
    // Waits for it to end: its exit status, or 128 + the signal that ended it.
    int wait();

private:
    pid_t pid_ = -1;
};

}  // namespace smbreaper::test
