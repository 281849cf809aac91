#pragma once

// The reaper service end to end against a real smbd: `smbreaper run` in the background with its
// log in a file, a scenario folder with a policy and its audit trail, real smbclient sessions, and
// the checks the tests share.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "samba_scenario.h"
#include "storage/audit_entry.h"

void write_file(const std::filesystem::path& file, const std::string& text);
std::string read_file(const std::filesystem::path& file);
// An executable script (mode 0755).
void write_script(const std::filesystem::path& file, const std::string& text);

// `smbreaper run [--once] --no-syslog --policy POLICY` in the background, its standard error in
// `log`; `environment` entries (NAME=VALUE) are added to its environment. Stopped with SIGTERM
// when the object goes.
class Reaper {
public:
    Reaper(const std::filesystem::path& policy, const std::filesystem::path& log, bool once = false,
           const std::vector<std::string>& environment = {});
    ~Reaper();
    Reaper(const Reaper&) = delete;
    Reaper& operator=(const Reaper&) = delete;

    pid_t pid() const { return pid_; }
    // SIGTERM, then its exit code.
    int stop();
    // Its exit code, or 128 + the signal that ended it.
    int wait();
    std::string log() const { return read_file(log_); }

private:
    std::filesystem::path log_;
    pid_t pid_ = -1;
    int exit_code_ = -1;
};

// A test's own smbd, clients and folder (under the temp folder, named after the test), with a
// policy for the reaper and a look at the audit trail it writes.
struct Scenario : SambaScenario {
    explicit Scenario(const std::string& name);
    // dir/policy.yaml: `mode`, a 1 s poll, the Samba source on this instance (3 s timeout, plus
    // `samba_extra`, e.g. ", smbstatus: /path"), audit.db, debug logging, `limits`,
    // `more_settings` (whole lines under settings:, e.g. "  protect: {open_files: writes}\n"),
    // `rules`.
    std::filesystem::path policy(const std::string& mode, const std::string& limits, const std::string& rules,
                                 const std::string& samba_extra = "", const std::string& more_settings = "");
    std::vector<smbreaper::storage::AuditEntry> entries() const;
    // "closed:alice", "what-if:bob"... for every closure entry with an outcome other than pending.
    std::vector<std::string> outcomes() const;
    bool has_kind(smbreaper::storage::EntryKind kind) const;
};

bool contains(const std::vector<std::string>& items, const std::string& item);
// `smbreaper audit verify` passes on the trail.
bool verifies(const std::filesystem::path& db);

// A client that keeps working: a command every two seconds until stopped.
class BusyClient {
public:
    explicit BusyClient(SmbClientProcess& client);
    ~BusyClient();
    BusyClient(const BusyClient&) = delete;
    BusyClient& operator=(const BusyClient&) = delete;

private:
    std::atomic<bool> stop_{false};
    std::thread thread_;
};
