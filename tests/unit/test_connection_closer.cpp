#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "service/closing/connection_closer.h"

using smbreaper::closing::close_pending_connections;
using smbreaper::closing::ConnectionCloseOptions;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::each_session;
using smbreaper::closing::outcomes_of;
using smbreaper::closing::SessionClosure;
using smbreaper::closing::take_stored_pending;
using smbreaper::rules::to_string;
using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_string;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::closure_entry;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

using namespace smbreaper;
using namespace std::chrono_literals;

namespace {

SessionRecord session(std::uint64_t id, const std::string& user, std::uint64_t connection_pid = 0) {
    SessionRecord s;
    s.session_id = id;
    s.client_user_name = user;
    s.client_computer_name = "10.0.0." + std::to_string(id);
    s.smb_instance = SmbInstance::Default;
    if (connection_pid) {
        s.samba_server_id = SambaServerId{};
        s.samba_server_id->pid = connection_pid;
    }
    return s;
}

// A table in memory whose close() can be slowed down and counts how many run at once.
class MemoryTable final : public SessionTable {
public:
    explicit MemoryTable(std::vector<SessionRecord> sessions) : sessions_(std::move(sessions)) {}

    std::string name() const override { return "memory"; }
    SessionSnapshot list() override {
        if (fail_list) throw SourceError("the server is down");
        return {sessions_, std::chrono::system_clock::now()};
    }
    CloseResult close(const SessionRecord& s) override {
        const int now_running = ++running_;
        int seen = max_running_.load();
        while (now_running > seen && !max_running_.compare_exchange_weak(seen, now_running)) {}
        std::this_thread::sleep_for(close_time);
        --running_;
        const std::lock_guard<std::mutex> lock(mutex_);
        closed_.push_back(s.session_id);
        if (s.session_id == throws_on) throw std::runtime_error("unexpected");
        return {CloseOutcome::Closed, "closed"};
    }

    std::vector<SessionRecord> sessions_;
    bool fail_list = false;
    std::chrono::milliseconds close_time{0};
    std::uint64_t throws_on = 0;
    int max_running() const { return max_running_; }
    std::vector<std::uint64_t> closed() const { return closed_; }

private:
    std::atomic<int> running_{0};
    std::atomic<int> max_running_{0};
    std::mutex mutex_;
    std::vector<std::uint64_t> closed_;
};

// Connections of one selected session each (or of several sharing a pid), with pending entries.
struct Selection {
    std::vector<SessionRecord> selected;
    std::vector<ConnectionClosure> connections;

    explicit Selection(std::vector<std::vector<SessionRecord>> groups) {
        for (const auto& group : groups) selected.insert(selected.end(), group.begin(), group.end());
        std::size_t at = 0;
        for (const auto& group : groups) {
            ConnectionClosure& connection = connections.emplace_back();
            for (std::size_t i = 0; i < group.size(); ++i, ++at) {
                AuditEntry pending = closure_entry(selected[at], Outcome::Pending);
                pending.seq = static_cast<std::int64_t>(at + 1);
                connection.sessions.push_back({&selected[at], nullptr, pending, std::nullopt});
            }
        }
    }
};

// Closes the selection's connections; their outcome entries, in order.
std::vector<AuditEntry> close_all(SessionTable& table, Selection& selection, const ConnectionCloseOptions& options) {
    close_pending_connections(table, selection.connections, options);
    return outcomes_of(selection.connections);
}

std::vector<std::string> summary(const std::vector<AuditEntry>& outcomes) {
    std::vector<std::string> out;
    for (const AuditEntry& e : outcomes) {
        out.push_back(std::to_string(e.session->session_id) + ":" + std::string(to_string(*e.outcome)) + ":" +
                      std::to_string(*e.resolves_entry));
    }
    return out;
}

}  // namespace

TEST_CASE("each connection still there is closed, and every pending entry gets its outcome", "[closer]") {
    MemoryTable table({session(1, "alice"), session(2, "bob"), session(3, "carol")});
    Selection selection({{session(1, "alice")}, {session(3, "carol")}});
    const auto outcomes = close_all(table, selection, {});
    CHECK(summary(outcomes) == std::vector<std::string>{"1:closed:1", "3:closed:2"});
    CHECK(table.closed() == std::vector<std::uint64_t>{1, 3});
}

TEST_CASE("a session gone, or replaced under the same id, is vanished and not closed", "[closer]") {
    MemoryTable table({session(2, "mallory")});  // id 2 now belongs to someone else; 1 is gone
    Selection selection({{session(1, "alice")}, {session(2, "bob")}});
    const auto outcomes = close_all(table, selection, {});
    CHECK(summary(outcomes) == std::vector<std::string>{"1:vanished:1", "2:vanished:2"});
    CHECK(table.closed().empty());
}

TEST_CASE("the re-check refuses a whole connection with its reason", "[closer]") {
    MemoryTable table({session(1, "alice", 77), session(2, "bob", 77), session(3, "carol")});
    Selection selection({{session(1, "alice", 77), session(2, "bob", 77)}, {session(3, "carol")}});
    ConnectionCloseOptions options;
    options.recheck = [](const SessionRecord& s) { return s.client_user_name == "bob" ? "bob woke up" : ""; };
    const auto outcomes = close_all(table, selection, options);
    CHECK(summary(outcomes) == std::vector<std::string>{"1:refused:1", "2:refused:2", "3:closed:3"});
    CHECK(outcomes[0].error == "bob woke up");
    CHECK(table.closed() == std::vector<std::uint64_t>{3});
}

TEST_CASE("a connection that now carries a session nobody selected is refused", "[closer]") {
    MemoryTable table({session(1, "alice", 77), session(9, "newcomer", 77)});
    Selection selection({{session(1, "alice", 77)}});
    const auto outcomes = close_all(table, selection, {});
    CHECK(summary(outcomes) == std::vector<std::string>{"1:refused:1"});
    CHECK(outcomes[0].error.find("another session") != std::string::npos);
    CHECK(table.closed().empty());
}

TEST_CASE("one close ends a connection of several sessions; all of them are closed", "[closer]") {
    MemoryTable table({session(1, "alice", 77), session(2, "bob", 77)});
    Selection selection({{session(1, "alice", 77), session(2, "bob", 77)}});
    const auto outcomes = close_all(table, selection, {});
    CHECK(summary(outcomes) == std::vector<std::string>{"1:closed:1", "2:closed:2"});
    CHECK(table.closed() == std::vector<std::uint64_t>{1});
}

TEST_CASE("an unreadable table fails every pending entry and closes nothing", "[closer]") {
    MemoryTable table({session(1, "alice")});
    table.fail_list = true;
    Selection selection({{session(1, "alice")}});
    const auto outcomes = close_all(table, selection, {});
    CHECK(summary(outcomes) == std::vector<std::string>{"1:failed:1"});
    CHECK(outcomes[0].error.find("the server is down") != std::string::npos);
    CHECK(table.closed().empty());
}

TEST_CASE("a stop refuses the connections not yet closed", "[closer]") {
    MemoryTable table({session(1, "alice"), session(2, "bob")});
    Selection selection({{session(1, "alice")}, {session(2, "bob")}});
    ConnectionCloseOptions options;
    int asked = 0;
    options.stop_requested = [&asked] { return ++asked > 1; };
    options.stop_reason = "stopped by the test";
    const auto outcomes = close_all(table, selection, options);
    CHECK(summary(outcomes) == std::vector<std::string>{"1:closed:1", "2:refused:2"});
    CHECK(outcomes[1].error == "stopped by the test");
}

TEST_CASE("an exception from close() is a failed outcome, not a crash", "[closer]") {
    MemoryTable table({session(1, "alice"), session(2, "bob")});
    table.throws_on = 1;
    Selection selection({{session(1, "alice")}, {session(2, "bob")}});
    ConnectionCloseOptions options;
    options.max_concurrent = 2;
    const auto outcomes = close_all(table, selection, options);
    CHECK(summary(outcomes) == std::vector<std::string>{"1:failed:1", "2:closed:2"});
    CHECK(outcomes[0].error == "unexpected");
}

TEST_CASE("max_concurrent bounds the closes running at once", "[closer]") {
    std::vector<SessionRecord> all;
    std::vector<std::vector<SessionRecord>> groups;
    for (std::uint64_t id = 1; id <= 12; ++id) {
        all.push_back(session(id, "user" + std::to_string(id)));
        groups.push_back({all.back()});
    }
    Selection selection(groups);
    for (const std::size_t limit : {std::size_t{1}, std::size_t{3}, std::size_t{50}}) {
        MemoryTable table(all);
        table.close_time = 40ms;
        ConnectionCloseOptions options;
        options.max_concurrent = limit;
        const auto started = std::chrono::steady_clock::now();
        const auto outcomes = close_all(table, selection, options);
        const auto took = std::chrono::steady_clock::now() - started;
        INFO("limit " << limit);
        CHECK(outcomes.size() == 12);
        CHECK(table.closed().size() == 12);
        // Never more than the limit (nor more than there are connections) ...
        CHECK(table.max_running() <= static_cast<int>(std::min<std::size_t>(limit, 12)));
        // ... and with a limit above one, really several at once.
        if (limit > 1) CHECK(table.max_running() >= 2);
        if (limit == 1) CHECK(took >= 12 * 40ms);
        if (limit == 3) CHECK(took < 12 * 40ms);
    }
}

TEST_CASE("a session whose pending entry was not stored is never closed", "[closer]") {
    MemoryTable table({session(1, "alice"), session(2, "bob")});
    Selection selection({{session(1, "alice")}, {session(2, "bob")}});
    selection.connections[1].sessions[0].pending.reset();
    CHECK_THROWS_AS(close_pending_connections(table, selection.connections, {}), std::logic_error);
    CHECK(table.closed().empty());
}

TEST_CASE("the trail's stored pending entries go back to their closures, or nothing does", "[closer]") {
    Selection selection({{session(1, "alice"), session(2, "bob")}, {session(3, "carol")}});
    std::vector<AuditEntry> stored;
    for (const SessionClosure* closure : each_session(selection.connections)) {
        AuditEntry entry = *closure->pending;
        entry.seq += 100;
        stored.push_back(entry);
    }
    take_stored_pending(selection.connections, stored);
    CHECK(selection.connections[0].sessions[1].pending->seq == 102);
    CHECK(selection.connections[1].sessions[0].pending->seq == 103);
    stored.pop_back();
    CHECK_THROWS_AS(take_stored_pending(selection.connections, stored), std::logic_error);
}
