// BlockKeeper: blocks set, lifted and expired in the trail, and the server's mechanism kept in step
// (here the snapshot source's stand-in, FILE.blocks.json); refusals of `block` (block_request.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "audit_test_support.h"
#include "service/blocking/block_keeper.h"
#include "service/blocking/block_request.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_query.h"

using smbreaper::blocking::block_duration;
using smbreaper::blocking::block_refusal;
using smbreaper::blocking::BlockError;
using smbreaper::blocking::BlockKeeper;
using smbreaper::blocking::covers;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::sessions::SourceError;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;

using namespace smbreaper;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

const BlockTarget kBob{BlockKind::User, "bob"};
const BlockTarget kAlice{BlockKind::User, "alice"};

// A snapshot table whose mechanism can be told to refuse.
class RefusingTable final : public sessions::SessionTable {
public:
    explicit RefusingTable(std::filesystem::path file) : inner_(std::move(file)) {}
    std::string name() const override { return "snapshot"; }
    sessions::SessionSnapshot list() override { return inner_.list(); }
    sessions::CloseResult close(const sessions::SessionRecord& s) override { return inner_.close(s); }
    std::vector<std::string> enforce_blocks(const std::vector<BlockTarget>& blocks) override {
        ++calls;
        if (refuse || refusals > 0) {
            if (refusals > 0) --refusals;
            throw SourceError("smb.conf does not include the blocks file");
        }
        return inner_.enforce_blocks(blocks);
    }
    bool refuse = false;
    int refusals = 0;  // refuse this many calls, then take them
    int calls = 0;

private:
    SnapshotSessionTable inner_;
};

struct Keeper {
    test::TempDir dir;
    std::filesystem::path snapshot = dir / "table.json";
    RefusingTable table{snapshot};
    AuditStore audit = AuditStore::open_for_writing(dir / "audit.db");
    BlockKeeper keeper{table, audit, {"fs01", std::string(64, 'c')}};

    Keeper() { test::write_file(snapshot, "[]"); }
    // The names the stand-in mechanism holds, "user:bob"...
    std::vector<std::string> in_force_on_server() const {
        std::vector<std::string> names;
        const auto file = SnapshotSessionTable::blocks_file_of(snapshot);
        if (!std::filesystem::exists(file)) return {"(never written)"};
        for (const auto& block : nlohmann::json::parse(test::read_file(file))) {
            names.push_back(block["target"].get<std::string>() + ":" + block["name"].get<std::string>());
        }
        return names;
    }
    std::vector<std::string> lift_causes() const {
        std::vector<std::string> causes;
        const AuditStore reader = AuditStore::open_read_only(dir / "audit.db");
        storage::for_each_entry(reader, storage::EntryFilter{}, [&](const storage::AuditRow& row) {
            const AuditEntry e = storage::from_row(row);
            if (e.kind == EntryKind::BlockLifted) causes.push_back(nlohmann::json::parse(e.details_json)["cause"]);
        });
        return causes;
    }
};

}  // namespace

TEST_CASE("set puts the block in force and records it; the same target twice is refused", "[blocks]") {
    Keeper k;
    const auto result = k.keeper.set({kBob}, Clock::now() + 1h, "incident", "root", {});
    REQUIRE(result.blocks.size() == 1);
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:bob"});
    CHECK_THROWS_AS(k.keeper.set({kBob}, Clock::now() + 1h, "again", "root", {}), BlockError);
    k.keeper.set({kAlice}, Clock::now() + 1h, "incident", "root", {});
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:bob", "user:alice"});

    k.keeper.lift(result.blocks, "root", "cleared");
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:alice"});
    CHECK(k.lift_causes() == std::vector<std::string>{"unblocked"});
    k.keeper.lift(result.blocks, "root", "twice");  // lifted already: nothing more recorded
    CHECK(k.lift_causes().size() == 1);
}

TEST_CASE("a block the server refuses is lifted again at once, both recorded", "[blocks]") {
    Keeper k;
    k.table.refuse = true;
    CHECK_THROWS_WITH(k.keeper.set({kBob}, Clock::now() + 1h, "incident", "root", {}),
                      Catch::Contains("lifted again") && Catch::Contains("does not include"));
    CHECK(k.audit.blocks_in_force().empty());
    CHECK(k.lift_causes() == std::vector<std::string>{"not-in-force"});
}

TEST_CASE("keep lifts what has expired, rebuilds the server's mechanism the first time, then only on change",
          "[blocks]") {
    Keeper k;
    CHECK_FALSE(k.keeper.keep(Clock::now()).enforced);  // blocks never used: the server is left alone
    CHECK(k.in_force_on_server() == std::vector<std::string>{"(never written)"});

    k.keeper.set({kBob}, Clock::now() + 1h, "incident", "root", {});
    k.keeper.set({kAlice}, Clock::now() + 2h, "incident", "root", {});
    std::filesystem::remove(SnapshotSessionTable::blocks_file_of(k.snapshot));  // a reboot lost the mechanism

    BlockKeeper service(k.table, k.audit, {"fs01", {}});
    auto kept = service.keep(Clock::now());
    CHECK(kept.enforced);
    CHECK(kept.expired.empty());
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:bob", "user:alice"});
    CHECK_FALSE(service.keep(Clock::now()).enforced);  // nothing changed

    kept = service.keep(Clock::now() + 90min);
    REQUIRE(kept.expired.size() == 1);
    CHECK(kept.expired[0].target == kBob);
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:alice"});
    CHECK(k.lift_causes() == std::vector<std::string>{"expired"});

    k.table.refuse = true;
    kept = service.keep(Clock::now() + 3h);
    CHECK(kept.expired.size() == 1);
    CHECK_THAT(kept.error, Catch::Contains("does not include"));
    k.table.refuse = false;
    CHECK(service.keep(Clock::now() + 3h).enforced);  // tried again
    CHECK(k.in_force_on_server().empty());
}

TEST_CASE("block refuses wildcards, protected accounts, addresses that are not addresses, long blocks", "[blocks]") {
    test::TempDir dir;
    test::write_file(dir / "t.json", "[]");
    const SnapshotSessionTable table(dir / "t.json");
    rules::Settings settings;
    settings.blocks.never = {"CORP\\Backup"};
    CHECK_FALSE(block_refusal({BlockKind::User, "CORP\\bob"}, settings, table));
    CHECK_FALSE(block_refusal({BlockKind::Client, "10.1.2.3"}, settings, table));
    CHECK_FALSE(block_refusal({BlockKind::Client, "fe80::1"}, settings, table));
    CHECK_FALSE(block_refusal({BlockKind::User, "CORP\\bob", {"Finance"}}, settings, table));
    for (const BlockTarget& refused : std::vector<BlockTarget>{{BlockKind::User, "*"},
                                                               {BlockKind::User, "bo?"},
                                                               {BlockKind::User, "CORP\\HV01$"},
                                                               {BlockKind::User, "corp\\backup"},
                                                               {BlockKind::User, ""},
                                                               {BlockKind::Client, "fs01.corp"},
                                                               {BlockKind::Client, "[fe80::1]"},
                                                               {BlockKind::Client, "10.0.0.0/8"},
                                                               {BlockKind::Client, "10.1.2.3", {"data"}},
                                                               {BlockKind::User, "CORP\\bob", {"fin*"}}}) {
        INFO(refused.name);
        CHECK(block_refusal(refused, settings, table));
    }
    settings.protect.machine_accounts = false;
    CHECK_FALSE(block_refusal({BlockKind::User, "CORP\\HV01$"}, settings, table));

    CHECK(std::get<std::chrono::seconds>(block_duration("4h", settings.blocks)) == 4h);
    CHECK(std::holds_alternative<std::string>(block_duration("25h", settings.blocks)));
    CHECK(std::holds_alternative<std::string>(block_duration("0s", settings.blocks)));
    CHECK(std::holds_alternative<std::string>(block_duration("soon", settings.blocks)));
}

TEST_CASE("a block covers its user in any case, and its client in any spelling of the address", "[blocks]") {
    sessions::SessionRecord s = test::sample_session(1, "CORP\\Bob", "::ffff:10.0.0.5");
    CHECK(covers({BlockKind::User, "corp\\bob"}, s));
    CHECK_FALSE(covers({BlockKind::User, "CORP\\bobby"}, s));
    CHECK(covers({BlockKind::Client, "10.0.0.5"}, s));
    CHECK_FALSE(covers({BlockKind::Client, "10.0.0.50"}, s));
    s.client_user_name.reset();
    CHECK_FALSE(covers({BlockKind::User, "corp\\bob"}, s));
}

TEST_CASE("a refused block is taken back from the server at once, the rest of the blocks kept", "[blocks]") {
    Keeper k;
    k.keeper.set({kAlice}, Clock::now() + 1h, "incident", "root", {});
    k.table.refusals = 1;  // bob's block is refused, the call after it goes through
    CHECK_THROWS_AS(k.keeper.set({kBob}, Clock::now() + 1h, "incident", "root", {}), BlockError);
    CHECK(k.in_force_on_server() == std::vector<std::string>{"user:alice"});
    CHECK(k.lift_causes() == std::vector<std::string>{"not-in-force"});
}

TEST_CASE("the service's keeper sees a block set and lifted by another process between two cycles", "[blocks]") {
    Keeper k;
    BlockKeeper service(k.table, k.audit, {"fs01", {}});
    k.keeper.set({kAlice}, Clock::now() + 1h, "incident", "root", {});
    CHECK(service.keep(Clock::now()).enforced);
    const auto bob = k.keeper.set({kBob}, Clock::now() + 1h, "incident", "root", {});
    k.keeper.lift(bob.blocks, "root", "mistake");
    // The names in force are the same as at the last cycle, but the server may hold what the
    // other process left: it is given the blocks in force again.
    const int calls = k.table.calls;
    CHECK(service.keep(Clock::now()).enforced);
    CHECK(k.table.calls == calls + 1);
    CHECK_FALSE(service.keep(Clock::now()).enforced);
    service.policy_reloaded(std::string(64, 'd'));
    CHECK(service.keep(Clock::now()).enforced);
}

TEST_CASE("a user already blocked in another case is blocked already", "[blocks]") {
    Keeper k;
    k.keeper.set({{BlockKind::User, "CORP\\Bob"}}, Clock::now() + 1h, "incident", "root", {});
    CHECK_THROWS_WITH(k.keeper.set({{BlockKind::User, "corp\\bob"}}, Clock::now() + 1h, "again", "root", {}),
                      Catch::Contains("blocked already"));
}
