#include "reaper_scenario.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "program_under_test.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"

using smbreaper::sessions::to_string;
using smbreaper::storage::to_string;

using namespace std::chrono_literals;

namespace {

const std::filesystem::path kWork = std::filesystem::temp_directory_path() / "smbreaper-service-test";

}  // namespace

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream stream(file, std::ios::binary);
    std::stringstream text;
    text << stream.rdbuf();
    return text.str();
}

void write_script(const std::filesystem::path& file, const std::string& text) {
    write_file(file, text);
    REQUIRE(::chmod(file.c_str(), 0755) == 0);
}

Reaper::Reaper(const std::filesystem::path& policy, const std::filesystem::path& log, bool once,
               const std::vector<std::string>& environment)
    : log_(log) {
    pid_ = fork();
    if (pid_ == 0) {
        std::freopen(log.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        for (const std::string& entry : environment) ::putenv(::strdup(entry.c_str()));
        const char* program = smbreaper::test::program_under_test();
        if (once) {
            execl(program, program, "run", "--once", "--no-syslog", "--policy", policy.c_str(), nullptr);
        } else {
            execl(program, program, "run", "--no-syslog", "--policy", policy.c_str(), nullptr);
        }
        _exit(127);
    }
}

Reaper::~Reaper() { stop(); }

int Reaper::stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    return wait();
}

int Reaper::wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
}

Scenario::Scenario(const std::string& name) : SambaScenario(kWork / name) {}

std::filesystem::path Scenario::policy(const std::string& mode, const std::string& limits, const std::string& rules,
                                       const std::string& samba_extra, const std::string& more_settings) {
    const std::filesystem::path file = dir / "policy.yaml";
    write_file(file, "version: 1\nsettings:\n  mode: " + mode +
                         "\n  poll_interval: 1s\n  source: samba\n"
                         "  samba: {smb_conf: " +
                         samba.conf() + ", timeout: 3s" + samba_extra +
                         "}\n"
                         "  audit_db: audit.db\n  log: {level: debug}\n  limits: {" +
                         limits + "}\n" + more_settings + "rules:\n" + rules);
    return file;
}

std::vector<smbreaper::storage::AuditEntry> Scenario::entries() const {
    std::vector<smbreaper::storage::AuditEntry> all;
    if (!std::filesystem::exists(dir / "audit.db")) return all;
    const smbreaper::storage::AuditStore store = smbreaper::storage::AuditStore::open_read_only(dir / "audit.db");
    smbreaper::storage::for_each_entry(
        store, {}, [&](const smbreaper::storage::AuditRow& row) { all.push_back(smbreaper::storage::from_row(row)); });
    return all;
}

std::vector<std::string> Scenario::outcomes() const {
    std::vector<std::string> out;
    for (const smbreaper::storage::AuditEntry& e : entries()) {
        if (e.outcome && *e.outcome != smbreaper::storage::Outcome::Pending && e.session) {
            out.push_back(std::string(to_string(*e.outcome)) + ":" + e.session->client_user_name);
        }
    }
    return out;
}

bool Scenario::has_kind(smbreaper::storage::EntryKind kind) const {
    for (const smbreaper::storage::AuditEntry& e : entries()) {
        if (e.kind == kind) return true;
    }
    return false;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

bool verifies(const std::filesystem::path& db) {
    const std::string command =
        std::string(smbreaper::test::program_under_test()) + " audit verify --db " + db.string() + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

BusyClient::BusyClient(SmbClientProcess& client)
    : thread_([this, &client] {
          while (!stop_) {
              client.send("ls");
              std::this_thread::sleep_for(2s);
          }
      }) {}

BusyClient::~BusyClient() {
    stop_ = true;
    thread_.join();
}
