#include <catch2/catch.hpp>

#include "service/closing/close_planner.h"
#include "service/daemon/confirmation_tracker.h"

using smbreaper::closing::CloseCandidate;
using smbreaper::closing::ClosePlan;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::each_session;
using smbreaper::closing::plan_closes;
using smbreaper::closing::SessionClosure;
using smbreaper::daemon::ConfirmationTracker;
using smbreaper::rules::Limits;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

using namespace smbreaper;

namespace {

SessionRecord session(std::uint64_t id, std::uint32_t idle, std::uint64_t connection) {
    SessionRecord s;
    s.session_id = id;
    s.client_user_name = "user" + std::to_string(id);
    s.seconds_idle = idle;
    s.smb_instance = SmbInstance::Default;
    SambaServerId server;
    server.pid = connection;
    s.samba_server_id = server;
    return s;
}

std::vector<CloseCandidate> candidates(const std::vector<SessionRecord>& table, std::vector<std::size_t> indexes) {
    std::vector<CloseCandidate> out;
    for (std::size_t i : indexes) out.push_back({&table[i], nullptr});
    return out;
}

Limits limits(std::uint64_t max_closes, double fraction) {
    Limits l;
    l.max_closes_per_cycle = max_closes;
    l.max_close_fraction = fraction;
    return l;
}

std::vector<std::uint64_t> ids(const std::vector<ConnectionClosure>& connections) {
    std::vector<std::uint64_t> out;
    for (const SessionClosure* closure : each_session(connections)) out.push_back(closure->session->session_id);
    return out;
}

}  // namespace

TEST_CASE("a connection closes only when every session on it is selected", "[planner]") {
    const std::vector<SessionRecord> table = {session(1, 100, 10), session(2, 100, 10), session(3, 500, 20),
                                              session(4, 0, 30),   session(5, 0, 40),   session(6, 0, 50)};
    ClosePlan plan = plan_closes(candidates(table, {0, 2}), table, limits(50, 1.0));
    REQUIRE(ids(plan.connections) == std::vector<std::uint64_t>{3});
    REQUIRE(plan.waiting_for_companions.size() == 1);
    REQUIRE(plan.waiting_for_companions[0].session->session_id == 1);

    plan = plan_closes(candidates(table, {0, 1, 2}), table, limits(50, 1.0));
    REQUIRE(ids(plan.connections) == std::vector<std::uint64_t>{3, 1, 2});  // most idle connection first
    REQUIRE(plan.connections.size() == 2);
    REQUIRE(plan.waiting_for_companions.empty());
}

TEST_CASE("over max_close_fraction the cycle closes nothing", "[planner]") {
    const std::vector<SessionRecord> table = {session(1, 10, 1), session(2, 20, 2), session(3, 30, 3),
                                              session(4, 40, 4)};
    ClosePlan plan = plan_closes(candidates(table, {0, 1}), table, limits(50, 0.5));
    REQUIRE_FALSE(plan.refused);
    REQUIRE(plan.connections.size() == 2);
    plan = plan_closes(candidates(table, {0, 1, 2}), table, limits(50, 0.5));
    REQUIRE(plan.refused);
    REQUIRE(plan.connections.empty());
    REQUIRE(plan.would_close == 3);
}

TEST_CASE("max_closes_per_cycle takes the most idle first and defers the rest", "[planner]") {
    const std::vector<SessionRecord> table = {session(1, 10, 1), session(2, 300, 2), session(3, 200, 3),
                                              session(4, 0, 4)};
    const ClosePlan plan = plan_closes(candidates(table, {0, 1, 2}), table, limits(2, 1.0));
    REQUIRE(ids(plan.connections) == std::vector<std::uint64_t>{2, 3});
    REQUIRE(plan.deferred.size() == 1);
    REQUIRE(plan.deferred[0].session->session_id == 1);
}

TEST_CASE("a connection larger than the per-cycle limit is taken alone", "[planner]") {
    const std::vector<SessionRecord> table = {session(1, 10, 7), session(2, 10, 7), session(3, 10, 7),
                                              session(4, 5, 8)};
    const ClosePlan plan = plan_closes(candidates(table, {0, 1, 2, 3}), table, limits(2, 1.0));
    REQUIRE(ids(plan.connections) == std::vector<std::uint64_t>{1, 2, 3});
    REQUIRE(plan.deferred.size() == 1);
}

TEST_CASE("sessions without a connection are closed one by one", "[planner]") {
    std::vector<SessionRecord> table = {session(1, 10, 1), session(2, 20, 1)};
    for (auto& s : table) s.samba_server_id.reset();
    const ClosePlan plan = plan_closes(candidates(table, {0}), table, limits(50, 1.0));
    REQUIRE(ids(plan.connections) == std::vector<std::uint64_t>{1});
}

TEST_CASE("a session is confirmed over consecutive polls only", "[confirm]") {
    ConfirmationTracker tracker;
    SessionRecord a = session(1, 0, 1), b = session(2, 0, 2);
    REQUIRE(tracker.record_poll({&a, &b}) == std::vector<std::uint64_t>{1, 1});
    REQUIRE(tracker.record_poll({&a, &b}) == std::vector<std::uint64_t>{2, 2});
    REQUIRE(tracker.record_poll({&a}) == std::vector<std::uint64_t>{3});
    REQUIRE(tracker.record_poll({&a, &b}) == std::vector<std::uint64_t>{4, 1});  // b's streak was broken
    REQUIRE(tracker.tracked() == 2);
}

TEST_CASE("a reused SessionId does not inherit another session's streak", "[confirm]") {
    ConfirmationTracker tracker;
    SessionRecord first = session(1, 0, 1);
    tracker.record_poll({&first});
    tracker.record_poll({&first});
    SessionRecord reused = first;
    reused.client_user_name = "someone-else";
    REQUIRE(tracker.record_poll({&reused}) == std::vector<std::uint64_t>{1});
    REQUIRE(tracker.record_poll({&reused}) == std::vector<std::uint64_t>{2});
    // Identities compare exactly: a source that reports the user in another case starts again,
    // which only delays a close.
    SessionRecord recased = reused;
    recased.client_user_name = "SOMEONE-ELSE";
    REQUIRE(tracker.record_poll({&recased}) == std::vector<std::uint64_t>{1});
    // So does a session on another smbd process under the same SessionId.
    SessionRecord other_process = recased;
    other_process.samba_server_id->unique_id = 99;
    REQUIRE(tracker.record_poll({&recased}) == std::vector<std::uint64_t>{2});
    REQUIRE(tracker.record_poll({&other_process}) == std::vector<std::uint64_t>{1});
}
