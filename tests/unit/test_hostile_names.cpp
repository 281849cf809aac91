// Names chosen by clients (user, computer and share names) that try to break what smbreaper
// writes: log lines, the audit trail, CSV for spreadsheets, JSON. The service closes every such
// session in enforce mode, then the log, the trail and both exports are read back.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_windows_snapshot_json;

using namespace smbreaper;
using test::TempDir;

namespace {

const std::vector<std::string> kHostileNames = {
    "alice\n2026-01-01T00:00:00.000+0000 info FORGED audit chain head seq 1 sha256 0000",
    "=HYPERLINK(\"http://evil.example/\",\"click\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "O'Brien\"; DROP TABLE audit_entry; --",
    "\x1b[2J\x1b]0;owned\x07",
    "J\xc3\xb6rg \xe6\x9d\x8e \xe2\x80\xae"
    "exe.txt \xc2\x9b"
    "31m",
    "tab\tand\rcarriage return",
    std::string("nul\0inside", 10),
};

// RFC 4180: records of fields, quoted fields may hold commas, quotes (doubled) and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                records.back().back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                records.back().back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            records.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            records.emplace_back(1);
            ++i;
        } else {
            records.back().back() += c;
        }
    }
    if (records.back().size() == 1 && records.back().front().empty()) records.pop_back();
    return records;
}

struct HostileServer {
    TempDir dir;
    std::filesystem::path policy = dir / "policy.yaml";
    std::filesystem::path db = dir / "audit.db";

    HostileServer() {
        std::vector<SessionRecord> table;
        for (std::size_t i = 0; i < kHostileNames.size(); ++i) {
            SessionRecord s =
                test::sample_session(100 + i, kHostileNames[i], kHostileNames[kHostileNames.size() - 1 - i]);
            s.shares = std::vector<std::string>{kHostileNames[i], "share;rm -rf /"};
            table.push_back(s);
        }
        test::write_file(dir / "table.json", to_windows_snapshot_json(table));
        test::write_file(policy,
                         "version: 1\nsettings:\n  mode: enforce\n  source: snapshot:table.json\n"
                         "  audit_db: audit.db\n  limits: {confirm_polls: 1, max_close_fraction: 1.0, "
                         "max_closes_per_cycle: 100}\nrules:\n"
                         "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    }
};

}  // namespace

TEST_CASE("hostile names cannot forge log lines or reach the terminal raw", "[security][names]") {
    HostileServer server;
    const auto run = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy.string()});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    REQUIRE(read_snapshot_file(server.dir / "table.json").sessions.empty());  // all closed

    std::istringstream lines(run.err);
    std::size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        INFO(line);
        // Every line is a log record, starting with its own timestamp, never the forged one.
        REQUIRE(line.size() > 24);
        REQUIRE(line.substr(0, 2) == "20");
        REQUIRE(line[10] == 'T');
        REQUIRE(line.rfind("2026-01-01T00:00:00.000+0000", 0) != 0);
        for (const std::string& raw : {std::string("\x1b"), std::string("\r"), std::string(1, '\0'),
                                       std::string("\x07"), std::string("\xc2\x9b"), std::string("\xe2\x80\xae")}) {
            REQUIRE(line.find(raw) == std::string::npos);
        }
    }
    REQUIRE(count > kHostileNames.size());
    REQUIRE(run.err.find("alice\\n2026-01-01T00:00:00.000+0000 info FORGED") != std::string::npos);
    REQUIRE(run.err.find("\\x1B[2J\\x1B]0;owned\\x07") != std::string::npos);
    REQUIRE(run.err.find("\\u{202E}exe.txt \\u{009B}31m") != std::string::npos);
}

TEST_CASE("hostile names are kept exactly in the trail and its JSON export, and the chain verifies",
          "[security][names]") {
    HostileServer server;
    REQUIRE(test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy.string()}).exit_code == 0);
    REQUIRE(test::run_smbreaper({"audit", "verify", "--db", server.db.string()}).exit_code == 0);

    const auto exported = test::run_smbreaper({"audit", "export", "--db", server.db.string(), "--format", "json"});
    REQUIRE(exported.exit_code == 0);
    std::multiset<std::string> users, clients;
    std::istringstream lines(exported.out);
    for (std::string line; std::getline(lines, line);) {
        const nlohmann::json entry = nlohmann::json::parse(line);  // each line is one JSON document
        if (entry["outcome"] != "closed") continue;
        users.insert(entry["ClientUserName"].get<std::string>());
        clients.insert(entry["ClientComputerName"].get<std::string>());
        REQUIRE(entry["passthru_json"]["ClientUserName"] == entry["ClientUserName"]);
        REQUIRE(entry["passthru_json"]["Shares"].size() == 2);
    }
    const std::multiset<std::string> expected(kHostileNames.begin(), kHostileNames.end());
    REQUIRE(users == expected);
    REQUIRE(clients == expected);
}

TEST_CASE("hostile names stay inside their CSV cell and never start a formula", "[security][names]") {
    HostileServer server;
    REQUIRE(test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy.string()}).exit_code == 0);
    const auto exported = test::run_smbreaper({"audit", "export", "--db", server.db.string(), "--format", "csv"});
    REQUIRE(exported.exit_code == 0);
    REQUIRE(exported.out.rfind("\xEF\xBB\xBF", 0) == 0);
    const auto records = parse_csv(exported.out.substr(3));
    const std::vector<std::string>& header = records.at(0);
    const auto column = [&](const std::string& name) {
        const auto found = std::find(header.begin(), header.end(), name);
        REQUIRE(found != header.end());
        return static_cast<std::size_t>(found - header.begin());
    };
    const std::size_t user = column("ClientUserName"), outcome = column("outcome");

    std::multiset<std::string> users;
    for (std::size_t i = 1; i < records.size(); ++i) {
        REQUIRE(records[i].size() == header.size());  // no name spilled into another cell
        for (const std::string& cell : records[i]) {
            INFO(cell);
            REQUIRE((cell.empty() || std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos));
            REQUIRE((cell.empty() || cell.front() != '\0'));
        }
        if (records[i][outcome] == "closed") users.insert(records[i][user]);
    }
    std::multiset<std::string> expected;
    for (const std::string& name : kHostileNames) {
        const bool formula = std::string_view("=+-@\t\r", 6).find(name.front()) != std::string_view::npos;
        expected.insert(formula ? "'" + name : name);
    }
    REQUIRE(users == expected);
}
