// The policy file going wrong under a running service: rewritten in pieces (a truncated policy can
// be valid and lack its exceptions), replaced by garbage, deleted, or made writable by others
// with a policy that closes everything. The policy in force stays until a good, safe file
// replaces it; every refusal is audited; no session is closed that the policy in force keeps.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::EntryKind;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::from_row;
using smbreaper::storage::Outcome;

using namespace smbreaper;
using namespace smbreaper::test;
using namespace std::chrono_literals;

namespace {

const std::string kPolicy =
    "version: 1\nsettings:\n  mode: enforce\n  poll_interval: 1s\n  source: snapshot:table.json\n"
    "  audit_db: audit.db\n  limits: {confirm_polls: 1, max_close_fraction: 1.0}\nrules:\n"
    "  - name: idle-1h\n    action: close\n    match: {idle: '>= 1h'}\n    except:\n      - user: dave\n";
// What an editor's first write leaves: valid, but without the exception that keeps dave.
const std::string kTruncated = kPolicy.substr(0, kPolicy.find("    except:"));
const std::string kCloseEverything =
    "version: 1\nsettings:\n  mode: enforce\n  source: snapshot:table.json\n  audit_db: audit.db\n"
    "  limits: {confirm_polls: 1, max_close_fraction: 1.0}\nrules:\n"
    "  - {name: all, action: close, match: {idle: '>= 0s'}}\n";

SessionRecord session(std::uint64_t id, const std::string& user, std::uint32_t idle) {
    SessionRecord s = sample_session(id, user, "10.0.0." + std::to_string(id));
    s.seconds_idle = idle;
    return s;
}

struct Service {
    TempDir dir;
    std::filesystem::path policy = dir / "policy.yaml";
    std::filesystem::path table = dir / "table.json";

    Service() {
        write_table({session(1, "alice", 7200), session(2, "bob", 5), session(3, "dave", 7200)});
        write_file(policy, kPolicy);
    }
    void write_table(const std::vector<SessionRecord>& sessions) const {
        write_file(table, to_windows_snapshot_json(sessions));
    }
    bool has_session(const std::string& user) const {
        const auto sessions = read_snapshot_file(table).sessions;
        return std::any_of(sessions.begin(), sessions.end(),
                           [&](const SessionRecord& s) { return s.client_user_name == user; });
    }
    std::vector<AuditEntry> entries() const {
        std::vector<AuditEntry> all;
        const AuditStore store = AuditStore::open_read_only(dir / "audit.db");
        for_each_entry(store, EntryFilter{}, [&](const AuditRow& row) { all.push_back(from_row(row)); });
        return all;
    }
    std::size_t count(EntryKind kind) const {
        const auto all = entries();
        return static_cast<std::size_t>(
            std::count_if(all.begin(), all.end(), [&](const AuditEntry& e) { return e.kind == kind; }));
    }
    bool closed(const std::string& user) const {
        for (const AuditEntry& e : entries()) {
            if (e.outcome == Outcome::Closed && e.session->client_user_name == user) return true;
        }
        return false;
    }
    // A new idle session, and waits until the policy in force has closed it.
    bool closes_new_idle_session(std::uint64_t id, const std::string& user) const {
        write_table({session(2, "bob", 5), session(3, "dave", 7200), session(id, user, 7200)});
        return eventually([&] { return closed(user); });
    }
};

}  // namespace

TEST_CASE("a policy file under faults never loosens the policy in force", "[faults][policy]") {
    Service service;
    BackgroundSmbreaper reaper({"run", "--no-syslog", "--policy", service.policy.string()}, service.dir / "log");
    REQUIRE(eventually([&] { return service.closed("alice"); }));
    const std::size_t loaded = service.count(EntryKind::PolicyLoaded);

    SECTION("rewritten in pieces: the half-written file is never read") {
        for (int edit = 0; edit < 5; ++edit) {
            write_file(service.policy, kTruncated);
            std::this_thread::sleep_for(300ms);
            write_file(service.policy, kPolicy);
            std::this_thread::sleep_for(2500ms);  // the watch settles and finds the same policy
        }
        REQUIRE(service.count(EntryKind::PolicyLoaded) == loaded);
    }
    SECTION("replaced by garbage") {
        write_file(service.policy,
                   "\x7f"
                   "ELF\x02\x01\x01 not a policy at all");
        REQUIRE(eventually([&] { return service.count(EntryKind::PolicyRejected) == 1; }));
        REQUIRE(service.closes_new_idle_session(10, "erin"));  // the policy in force still works
    }
    SECTION("truncated to nothing") {
        write_file(service.policy, "");
        REQUIRE(eventually([&] { return service.count(EntryKind::PolicyRejected) == 1; }));
        REQUIRE(service.closes_new_idle_session(11, "frank"));
    }
    SECTION("deleted") {
        std::filesystem::remove(service.policy);
        REQUIRE(eventually([&] { return service.count(EntryKind::PolicyRejected) == 1; }));
        REQUIRE(service.closes_new_idle_session(12, "grace"));
        write_file(service.policy, kPolicy);  // back, with the same content: nothing new to load
    }
    SECTION("made writable by others, with a policy that closes everything") {
        write_file(service.policy, kCloseEverything);
        ::chmod(service.policy.c_str(), 0666);
        REQUIRE(eventually([&] { return service.count(EntryKind::PolicyRejected) == 1; }));
        const auto rejected = service.entries();
        const auto event = std::find_if(rejected.begin(), rejected.end(),
                                        [](const AuditEntry& e) { return e.kind == EntryKind::PolicyRejected; });
        REQUIRE(event->details_json.find("chmod go-w") != std::string::npos);
        std::this_thread::sleep_for(2500ms);  // two more cycles under the policy in force
        REQUIRE(service.has_session("bob"));
    }

    // Whatever happened, dave's exception was in force all along.
    REQUIRE(service.has_session("dave"));
    REQUIRE_FALSE(service.closed("dave"));
    REQUIRE(service.count(EntryKind::PolicyLoaded) == loaded);
    reaper.signal(SIGTERM);
    REQUIRE(reaper.wait() == 0);
}
