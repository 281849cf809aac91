#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"

using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::glob_to_like;
using smbreaper::storage::Outcome;

using namespace smbreaper;
using test::TempDir;

namespace {

struct QueryTrail {
    TempDir dir;
    std::filesystem::path db = dir / "audit.db";

    QueryTrail() {
        AuditStore store = AuditStore::open_for_writing(db);
        auto timed = [](AuditEntry entry, const char* time) {
            entry.time = time;
            return entry;
        };
        store.append({
            timed(event_entry(EntryKind::Start), "2024-05-01T08:00:00.000Z"),
            timed(test::sample_closure(1, Outcome::Closed, "CORP\\alice", "10.0.0.5", "idle-2h"),
                  "2024-05-01T09:00:00.000Z"),
            timed(test::sample_closure(2, Outcome::WhatIf, "CORP\\ext-bob", "LAB-7", "contractors"),
                  "2024-05-02T09:00:00.000Z"),
            timed(test::sample_closure(3, Outcome::Failed, "CORP\\ext_carol", "LAB-8", "legacy-dialects"),
                  "2024-05-03T09:00:00.000Z"),
            timed(test::sample_closure(18446744073709551615u, Outcome::Closed, "100%_real", "10.0.0.6", "idle-2h"),
                  "2024-05-04T09:00:00.000Z"),
        });
    }

    std::vector<std::int64_t> seqs(const EntryFilter& filter) const {
        std::vector<std::int64_t> found;
        for_each_entry(AuditStore::open_read_only(db), filter,
                       [&](const AuditRow& row) { found.push_back(*row.integer(AuditColumn::Seq)); });
        return found;
    }
};

using Seqs = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("no filter lists every entry, oldest first", "[audit][query]") {
    QueryTrail trail;
    CHECK(trail.seqs({}) == Seqs{1, 2, 3, 4, 5});
}

TEST_CASE("since is inclusive, until exclusive", "[audit][query]") {
    QueryTrail trail;
    EntryFilter filter;
    filter.since = "2024-05-02T09:00:00.000Z";
    filter.until = "2024-05-04T09:00:00.000Z";
    CHECK(trail.seqs(filter) == Seqs{3, 4});
}

TEST_CASE("user, client and rule take case-insensitive globs; a list means any", "[audit][query]") {
    QueryTrail trail;
    EntryFilter by_user;
    by_user.users = {"corp\\EXT-*"};
    CHECK(trail.seqs(by_user) == Seqs{3});
    by_user.users = {"corp\\ext?*"};
    CHECK(trail.seqs(by_user) == Seqs{3, 4});
    by_user.users = {"CORP\\alice", "100%_real"};
    CHECK(trail.seqs(by_user) == Seqs{2, 5});

    EntryFilter by_client;
    by_client.clients = {"lab-*"};
    CHECK(trail.seqs(by_client) == Seqs{3, 4});

    EntryFilter by_rule;
    by_rule.rules = {"idle-2h"};
    by_rule.clients = {"10.0.0.6"};
    CHECK(trail.seqs(by_rule) == Seqs{5});
}

TEST_CASE("SQL wildcards in a filter are literal characters", "[audit][query]") {
    QueryTrail trail;
    EntryFilter filter;
    filter.users = {"100%_real"};
    CHECK(trail.seqs(filter) == Seqs{5});
    filter.users = {"100%"};
    CHECK(trail.seqs(filter).empty());
    CHECK(glob_to_like("a*b?c%d_e!f") == "a%b_c!%d!_e!!f");
}

TEST_CASE("outcome and session id select exactly", "[audit][query]") {
    QueryTrail trail;
    EntryFilter filter;
    filter.outcomes = {"closed", "failed"};
    CHECK(trail.seqs(filter) == Seqs{2, 4, 5});
    EntryFilter by_id;
    by_id.session_ids = {18446744073709551615u, 2};
    CHECK(trail.seqs(by_id) == Seqs{3, 5});
}
