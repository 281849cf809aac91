// The reaper cycle's close_files rules: confirmed over polls, within the safety limits, pending
// first, re-checked on the values read again, closed one open at a time, each outcome recorded.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cycle_test_support.h"
#include "sessions/open_file_summary.h"

using smbreaper::config::LoadedPolicy;
using smbreaper::daemon::CycleReport;
using smbreaper::daemon::ReaperCycle;
using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::SourceError;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;

using namespace smbreaper;
using namespace smbreaper::test;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kReadWrite = 0x0012019F;
constexpr std::uint32_t kReadOnly = 0x00120089;

// A Windows-like table in memory: sessions and their opens, each open closable on its own.
class OpenFilesTable final : public SessionTable {
public:
    std::string name() const override { return "wmi"; }
    SessionSnapshot list() override {
        ++lists;
        if (before_list) before_list(lists);
        if (fail_listing) throw SourceError("the server did not answer");
        SessionSnapshot snapshot;
        snapshot.taken_at = now;
        snapshot.sessions = sessions;
        if (opens_listed) {
            snapshot.open_files = opens;
            smbreaper::sessions::summarize_open_files_by_session_id(snapshot.sessions, opens, now);
        }
        return snapshot;
    }
    CloseResult close(const SessionRecord&) override { return {CloseOutcome::Failed, "not in these tests"}; }
    CloseResult close_open_file(const OpenFileRecord& open) override {
        const std::lock_guard lock(mutex);
        closed_ids.push_back(open.file_id);
        const auto found = std::find_if(opens.begin(), opens.end(),
                                        [&](const OpenFileRecord& o) { return o.file_id == open.file_id; });
        if (found == opens.end()) return {CloseOutcome::Vanished, "no such open"};
        opens.erase(found);
        return {CloseOutcome::Closed, {}};
    }

    void add_session(std::uint64_t id, const std::string& user, std::uint32_t idle) {
        SessionRecord s = row(id, user, idle);
        s.num_opens = 0;
        sessions.push_back(s);
    }
    void add_open(std::uint64_t session, const std::string& file_id, const std::string& path, std::uint32_t access,
                  std::chrono::hours open_for) {
        OpenFileRecord open;
        open.file_id = file_id;
        open.session_id = session;
        open.share_relative_path = path;
        open.path = "D:\\Shares\\users\\" + path;
        open.permissions = access;
        open.first_seen = now - open_for;
        const auto holder = std::find_if(sessions.begin(), sessions.end(),
                                         [&](const SessionRecord& s) { return s.session_id == session; });
        open.client_user_name = holder->client_user_name;
        open.client_computer_name = holder->client_computer_name;
        ++*holder->num_opens;
        opens.push_back(open);
    }

    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::vector<SessionRecord> sessions;
    std::vector<OpenFileRecord> opens;
    bool opens_listed = true;
    bool fail_listing = false;
    std::function<void(int)> before_list;
    int lists = 0;
    std::mutex mutex;
    std::vector<std::string> closed_ids;
};

struct FilesFixture {
    TempDir dir;
    OpenFilesTable table;
    AuditStore audit = AuditStore::open_for_writing(dir / "audit.db");
    ReaperCycle cycle{table, audit, {false, "fs01"}};

    std::vector<AuditEntry> entries() const {
        std::vector<AuditEntry> all;
        const AuditStore reader = AuditStore::open_read_only(dir / "audit.db");
        for_each_entry(reader, storage::EntryFilter{},
                       [&](const storage::AuditRow& row) { all.push_back(from_row(row)); });
        return all;
    }
    // "pending:7", "closed:7", ... by FileId, for every file closure, in order.
    std::vector<std::string> file_outcomes() const {
        std::vector<std::string> out;
        for (const auto& e : entries()) {
            if (!e.outcome || e.action != "close_files") continue;
            const auto id = nlohmann::json::parse(e.passthru_json).at("FileId");
            out.push_back(std::string(to_string(*e.outcome)) + ":" +
                          (id.is_string() ? id.get<std::string>() : id.dump()));
        }
        return out;
    }
};

const std::string kStalePst =
    "  - name: stale-pst\n"
    "    action: close_files\n"
    "    match: {idle: '>= 1h'}\n"
    "    files: {path: '*.pst', open_for: '> 8h'}\n";

LoadedPolicy files_policy(const std::string& settings, const std::string& rules = kStalePst) {
    return cycle_policy("  source: wmi\n" + settings, rules);
}

// Alice's idle laptop holds an old PST and a document; Bob works on his PST; Carol is idle with a
// fresh PST. Only Alice's PST is selected.
void office(OpenFilesTable& table) {
    table.add_session(1, "CORP\\alice", 7200);
    table.add_session(2, "CORP\\bob", 30);
    table.add_session(3, "CORP\\carol", 7200);
    table.add_open(1, "101", "alice\\mail.pst", kReadWrite, 30h);
    table.add_open(1, "102", "alice\\report.docx", kReadWrite, 30h);
    table.add_open(2, "201", "bob\\mail.pst", kReadWrite, 30h);
    table.add_open(3, "301", "carol\\mail.pst", kReadWrite, 1h);
    table.add_open(3, "302", "carol\\notes.txt", kReadOnly, 10h);
}

}  // namespace

TEST_CASE("close_files closes the selected opens after confirm_polls, keeping the session", "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 2}\n");

    CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(report.selected == 0);  // no session is to be closed
    CHECK(report.files.selected == 1);
    CHECK(report.files.closed == 0);
    CHECK(f.entries().empty());

    report = f.cycle.run_once(p, kNoon);
    CHECK(report.files.closed == 1);
    CHECK(report.closed == 0);
    CHECK(f.table.closed_ids == std::vector<std::string>{"101"});
    CHECK(f.table.sessions.size() == 3);
    CHECK(f.file_outcomes() == std::vector<std::string>{"pending:101", "closed:101"});
    const auto all = f.entries();
    CHECK(all[0].rule == "stale-pst");
    CHECK(all[0].mode == Mode::Enforce);
    CHECK(all[0].session->session_id == 1);
    CHECK(all[0].session->client_user_name == "CORP\\alice");
    CHECK(all[0].passthru_json.find("alice\\\\mail.pst") != std::string::npos);
    CHECK(*all[1].resolves_entry == all[0].seq);

    // Closed: nothing more to select.
    report = f.cycle.run_once(p, kNoon);
    CHECK(report.files.selected == 0);
    CHECK(f.table.closed_ids.size() == 1);
}

TEST_CASE("close_files in audit mode records each open as what-if once and closes none", "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    const LoadedPolicy p = files_policy("  mode: audit\n  limits: {confirm_polls: 1}\n");
    f.cycle.run_once(p, kNoon);
    f.cycle.run_once(p, kNoon);
    CHECK(f.table.closed_ids.empty());
    CHECK(f.file_outcomes() == std::vector<std::string>{"what-if:101"});
    CHECK(f.entries()[0].mode == Mode::Audit);
}

TEST_CASE("close_files closes nothing when the opens are not listed", "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    f.table.opens_listed = false;
    const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n");
    const CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(report.files.selected == 0);
    CHECK(f.table.closed_ids.empty());
    CHECK(f.entries().empty());
}

TEST_CASE("an open that changes before the close is refused or vanishes, never closed on old values",
          "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    f.table.add_open(1, "103", "alice\\archive.pst", kReadWrite, 20h);
    f.table.add_open(1, "104", "alice\\old.pst", kReadWrite, 20h);
    f.table.add_open(2, "202", "bob\\x.docx", kReadWrite, 1h);  // enough opens for the limits
    f.table.add_open(2, "203", "bob\\y.docx", kReadWrite, 1h);
    f.table.add_open(2, "204", "bob\\z.docx", kReadWrite, 1h);
    const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n");
    f.table.before_list = [&](int count) {
        if (count != 2) return;  // the re-read just before closing
        auto& opens = f.table.opens;
        // 103 is closed by its client; 104's FileId now names another file.
        opens.erase(
            std::find_if(opens.begin(), opens.end(), [](const OpenFileRecord& o) { return o.file_id == "103"; }));
        std::find_if(opens.begin(), opens.end(), [](const OpenFileRecord& o) {
            return o.file_id == "104";
        })->share_relative_path = "alice\\other.pst";
        std::find_if(opens.begin(), opens.end(), [](const OpenFileRecord& o) { return o.file_id == "104"; })->path =
            "D:\\Shares\\users\\alice\\other.pst";
        // Alice comes back: her session is no longer idle, so 101 is no longer selected.
        f.table.sessions[0].seconds_idle = 5;
    };
    const CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(f.table.closed_ids.empty());
    CHECK(report.files.refused == 1);
    CHECK(report.files.vanished == 2);
    const auto outcomes = f.file_outcomes();
    CHECK(std::count(outcomes.begin(), outcomes.end(), "refused:101") == 1);
    CHECK(std::count(outcomes.begin(), outcomes.end(), "vanished:103") == 1);
    CHECK(std::count(outcomes.begin(), outcomes.end(), "vanished:104") == 1);
}

TEST_CASE("close_files: a re-read that fails refuses every pending open", "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n");
    f.table.before_list = [&](int count) { f.table.fail_listing = count == 2; };
    const CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(f.table.closed_ids.empty());
    CHECK(report.files.refused == 1);
    CHECK(f.file_outcomes() == std::vector<std::string>{"pending:101", "refused:101"});
    CHECK(f.entries()[1].error.find("could not be read again") != std::string::npos);
}

TEST_CASE("close_files within the safety limits: max_close_fraction of the opens, max_closes_per_cycle",
          "[cycle][close_files]") {
    FilesFixture f;
    f.table.add_session(1, "CORP\\alice", 7200);
    for (int i = 0; i < 4; ++i) {
        f.table.add_open(1, std::to_string(10 + i), "alice\\" + std::to_string(i) + ".pst", kReadWrite,
                         std::chrono::hours(20 + i));
    }
    SECTION("every open listed would close: refused, and recorded once") {
        const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n");
        CycleReport report = f.cycle.run_once(p, kNoon);
        CHECK(report.files.limit_tripped);
        report = f.cycle.run_once(p, kNoon);
        CHECK(report.files.limit_tripped);
        CHECK(f.table.closed_ids.empty());
        const auto all = f.entries();
        REQUIRE(all.size() == 1);
        CHECK(all[0].kind == EntryKind::LimitTripped);
        CHECK(all[0].details_json.find("\"open_files\":4") != std::string::npos);
    }
    SECTION("within the fraction, the longest open first, max_closes_per_cycle at a time") {
        const LoadedPolicy p = files_policy(
            "  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 1.0, max_closes_per_cycle: 3}\n");
        CycleReport report = f.cycle.run_once(p, kNoon);
        CHECK(report.files.closed == 3);
        CHECK(report.files.deferred == 1);
        CHECK(f.table.closed_ids.size() == 3);
        CHECK(std::find(f.table.closed_ids.begin(), f.table.closed_ids.end(), "10") == f.table.closed_ids.end());
        report = f.cycle.run_once(p, kNoon);
        CHECK(report.files.closed == 1);
    }
}

TEST_CASE("close_files confirms each open on its own: a file opened since is not closed on sight",
          "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    const LoadedPolicy p = files_policy("  mode: enforce\n  limits: {confirm_polls: 2}\n");
    f.cycle.run_once(p, kNoon);  // 101 selected once
    f.table.add_open(1, "103", "alice\\archive.pst", kReadWrite, 9h);
    f.table.add_open(2, "202", "bob\\a.docx", kReadWrite, 1h);  // enough opens for the fraction
    f.table.add_open(2, "203", "bob\\b.docx", kReadWrite, 1h);
    CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(f.table.closed_ids == std::vector<std::string>{"101"});  // 103 seen once so far
    report = f.cycle.run_once(p, kNoon);
    CHECK(f.table.closed_ids == std::vector<std::string>{"101", "103"});
}

TEST_CASE("close_files closes nothing in a cycle whose session limit tripped", "[cycle][close_files]") {
    FilesFixture f;
    office(f.table);
    // bob's session is a third of the table, over the fraction; alice's PST a fifth of the opens, under it.
    const LoadedPolicy p =
        files_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 0.3}\n",
                     kStalePst + "  - {name: everyone, action: close, match: {}, allow_open_files: true}\n");
    const CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(report.limit_tripped);
    CHECK(report.files.selected == 1);
    CHECK(f.table.closed_ids.empty());
}
