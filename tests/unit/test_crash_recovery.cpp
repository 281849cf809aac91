// SIGKILL at random moments of `smbreaper run` (start-up, listing, pending entries, closes,
// outcomes), then a restart, over and over: no session is ever closed without its pending entry,
// the chain always verifies, every entry left pending is resolved by the next start, and an entry
// that says closed is about a session that is really gone.

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string_view>
#include <thread>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_errors.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::from_row;
using smbreaper::storage::kInterruptedCloseError;
using smbreaper::storage::Outcome;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using namespace smbreaper::test;

namespace {

constexpr std::uint64_t kSessions = 150;

struct Trail {
    std::set<std::uint64_t> pending;  // sessions with a pending entry
    std::set<std::uint64_t> closed;   // sessions with a `closed` outcome
    std::size_t interrupted = 0;      // closes a kill cut short, resolved by the next start
    std::size_t unresolved = 0;
};

Trail read_trail(const std::filesystem::path& db) {
    Trail trail;
    const AuditStore store = AuditStore::open_read_only(db);
    REQUIRE(verify_chain(store).intact());
    for_each_entry(store, EntryFilter{}, [&](const AuditRow& row) {
        const AuditEntry entry = from_row(row);
        if (entry.outcome == Outcome::Pending) trail.pending.insert(entry.session->session_id);
        if (entry.outcome == Outcome::Closed) trail.closed.insert(entry.session->session_id);
        if (entry.outcome == Outcome::Failed && entry.error == kInterruptedCloseError) ++trail.interrupted;
    });
    trail.unresolved = store.unresolved_pending().size();
    return trail;
}

// False when the kill came before the service created its trail: no file yet, or one SQLite made
// whose schema was never committed (the next start creates it).
bool trail_exists(const std::filesystem::path& db) {
    if (!std::filesystem::exists(db)) return false;
    try {
        const AuditStore store = AuditStore::open_read_only(db);
        return true;
    } catch (const storage::AuditSchemaError& error) {
        if (std::string_view(error.what()).ends_with("(an empty database)")) return false;
        throw;
    }
}

std::set<std::uint64_t> sessions_in(const std::filesystem::path& table) {
    std::set<std::uint64_t> ids;
    for (const SessionRecord& s : read_snapshot_file(table).sessions) ids.insert(s.session_id);
    return ids;
}

}  // namespace

TEST_CASE("SIGKILL at random points of a cycle never closes a session without its entry", "[faults][crash]") {
    TempDir dir;
    std::vector<SessionRecord> table;
    for (std::uint64_t id = 1; id <= kSessions; ++id) {
        SessionRecord s = sample_session(id, "user" + std::to_string(id), "10.0.0." + std::to_string(id));
        s.seconds_idle = 7200;
        table.push_back(s);
    }
    const auto table_file = dir / "table.json";
    write_file(table_file, to_windows_snapshot_json(table));
    const auto policy = dir / "policy.yaml";
    write_file(policy,
               "version: 1\nsettings:\n  mode: enforce\n  poll_interval: 1s\n  source: snapshot:table.json\n"
               "  audit_db: audit.db\n  limits: {confirm_polls: 1, max_close_fraction: 1.0, "
               "max_closes_per_cycle: 25}\nrules:\n"
               "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    const auto db = dir / "audit.db";

    const unsigned seed = std::random_device{}();
    INFO("random seed " << seed);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> delay_ms(0, 1500);
    int kills = 0;
    for (; kills < 15 && !sessions_in(table_file).empty(); ++kills) {
        BackgroundSmbreaper service({"run", "--no-syslog", "--policy", policy.string()});
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        service.signal(SIGKILL);
        REQUIRE(service.wait() == 128 + SIGKILL);
        if (!trail_exists(db)) continue;

        const Trail trail = read_trail(db);
        const std::set<std::uint64_t> left = sessions_in(table_file);
        for (std::uint64_t id = 1; id <= kSessions; ++id) {
            INFO("session " << id << " after " << kills + 1 << " kills");
            if (!left.contains(id)) REQUIRE(trail.pending.contains(id));  // never closed without its entry
            if (trail.closed.contains(id)) REQUIRE_FALSE(left.contains(id));
        }
    }
    INFO(kills << " kills");

    // A restart that closes nothing resolves whatever the last kill left pending.
    const auto restart = run_smbreaper({"run", "--once", "--what-if", "--no-syslog", "--policy", policy.string()});
    REQUIRE(restart.exit_code == 0);
    const Trail final_trail = read_trail(db);
    REQUIRE(final_trail.unresolved == 0);
    WARN(kills << " kills, " << final_trail.interrupted << " closes cut short, " << final_trail.closed.size()
               << " closed");
    REQUIRE(kills >= 3);
}
