#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_query.h"
#include "storage/audit_row.h"
#include "storage/audit_store.h"
#include "test_support.h"

using smbreaper::sessions::read_open_files_file;

using namespace smbreaper;
using Catch::Matchers::Contains;
using test::CommandResult;
using test::run_smbreaper;

namespace {

// A server whose open files are a Get-SmbOpenFile export, and an audit trail beside it.
struct OpenFilesServer {
    test::TempDir dir;
    std::filesystem::path opens = dir / "opens.json";
    std::filesystem::path audit_db = dir / "audit.db";

    OpenFilesServer() { test::write_file(opens, test::read_test_data("windows/get-smbopenfile-ps51.json")); }

    CommandResult files(std::vector<std::string> arguments) const {
        arguments.insert(arguments.begin(), {"files", "--source", "snapshot:" + opens.string()});
        return run_smbreaper(arguments);
    }
    CommandResult close_file(std::vector<std::string> arguments) const {
        arguments.insert(arguments.begin(),
                         {"close-file", "--source", "snapshot:" + opens.string(), "--audit-db", audit_db.string()});
        return run_smbreaper(arguments);
    }
    std::vector<std::string> file_ids() const {
        std::vector<std::string> ids;
        for (const auto& open : read_open_files_file(opens)) ids.push_back(open.file_id);
        return ids;
    }
    std::vector<storage::AuditEntry> entries() const {
        std::vector<storage::AuditEntry> all;
        if (!std::filesystem::exists(audit_db)) return all;
        const storage::AuditStore store = storage::AuditStore::open_read_only(audit_db);
        storage::for_each_entry(store, storage::EntryFilter{},
                                [&](const storage::AuditRow& row) { all.push_back(storage::from_row(row)); });
        return all;
    }
};

std::vector<std::string> ids_in_json(const std::string& text) {
    std::vector<std::string> ids;
    for (const auto& open : nlohmann::json::parse(text)) ids.push_back(open["FileId"].dump());
    return ids;
}

}  // namespace

TEST_CASE("files lists a Get-SmbOpenFile export, with access and path", "[cli][files]") {
    OpenFilesServer server;
    const CommandResult result = server.files({});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.rfind("FileId", 0) == 0);
    CHECK_THAT(result.out, Contains("13194139534117  13194139533381  CONTOSO\\alice  10.20.1.15  RW"));
    CHECK_THAT(result.out, Contains("Q3\\budget.xlsx"));
    CHECK_THAT(result.out, Contains("Policies\\travel.pdf"));
}

TEST_CASE("files filters as Get-SmbOpenFile does, and names a filter nothing matches", "[cli][files]") {
    OpenFilesServer server;
    const auto listed = [&server](const std::vector<std::string>& filters) {
        std::vector<std::string> arguments = filters;
        arguments.insert(arguments.end(), {"--format", "json"});
        const CommandResult result = server.files(arguments);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return ids_in_json(result.out);
    };
    using Ids = std::vector<std::string>;
    CHECK(listed({"--file-id", "13194139534121"}) == Ids{"13194139534121"});
    CHECK(listed({"--session-id", "13194139533381"}) == Ids{"13194139534117", "13194139534121"});
    CHECK(listed({"--client-user-name", "contoso\\B*"}) == Ids{"13194139534133"});
    CHECK(listed({"--client-computer-name", "10.20.1.*", "--file-id", "13194139534117"}) == Ids{"13194139534117"});
    CHECK(listed({"--smb-instance", "Default"}).size() == 3);

    const CommandResult none = server.files({"--client-user-name", "CONTOSO\\carol"});
    CHECK(none.exit_code == 1);
    CHECK(none.out.empty());
    CHECK_THAT(none.err, Contains("No MSFT_SmbOpenFile objects found with property 'ClientUserName' equal to "
                                  "'CONTOSO\\carol'"));
}

TEST_CASE("files writes JSON that reads back as an open-file list, and CSV for Excel", "[cli][files]") {
    OpenFilesServer server;
    const CommandResult json = server.files({"--format", "json"});
    REQUIRE(json.exit_code == 0);
    const auto parsed = nlohmann::json::parse(json.out);
    REQUIRE(parsed.size() == 3);
    CHECK(parsed[0]["FileId"] == 13194139534117u);
    CHECK(parsed[0]["Writes"] == true);
    CHECK(parsed[1]["Writes"] == false);
    CHECK(parsed[1]["Access"] == "R");
    test::write_file(server.dir / "again.json", json.out);
    CHECK(read_open_files_file(server.dir / "again.json").size() == 3);

    const CommandResult csv = server.files({"--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF"
                        "FileId,SessionId,Path,ShareRelativePath",
                        0) == 0);
    CHECK_THAT(csv.out, Contains("13194139534133,13194139533397,C:\\Shares\\Projects\\plan.mpp,plan.mpp"));
}

TEST_CASE("files on a session list says it holds no open files", "[cli][files]") {
    test::TempDir dir;
    test::write_file(dir / "sessions.json", test::read_test_data("windows/get-smbsession-ps51.json"));
    const CommandResult result = run_smbreaper({"files", "--source", "snapshot:" + (dir / "sessions.json").string()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("export Get-SmbOpenFile"));
}

TEST_CASE("close-file closes the selected open, records it before and after, and keeps the others",
          "[cli][close-file]") {
    OpenFilesServer server;
    const CommandResult result = server.close_file({"--file-id", "13194139534121", "--force", "--passthru"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(server.file_ids() == std::vector<std::string>{"13194139534117", "13194139534133"});
    CHECK_THAT(result.err, Contains("closed file 13194139534121"));
    CHECK(ids_in_json(result.out) == std::vector<std::string>{"13194139534121"});

    const auto entries = server.entries();
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].outcome == storage::Outcome::Pending);
    CHECK(entries[1].outcome == storage::Outcome::Closed);
    CHECK(entries[1].resolves_entry == entries[0].seq);
    for (const auto& entry : entries) {
        CHECK(entry.action == "close_file");
        CHECK(entry.mode == storage::Mode::Manual);
        CHECK(entry.session->session_id == 13194139533381u);
        CHECK(entry.session->client_user_name == "CONTOSO\\alice");
        const auto passthru = nlohmann::json::parse(entry.passthru_json);
        CHECK(passthru["FileId"] == 13194139534121u);
        CHECK(passthru["Path"] == "C:\\Shares\\Finance\\Policies\\travel.pdf");
        CHECK(nlohmann::json::parse(entry.details_json)["command"] == "smbreaper close-file");
    }
    CHECK(run_smbreaper({"audit", "verify", "--db", server.audit_db.string()}).exit_code == 0);
}

TEST_CASE("close-file needs a filter, --force without a terminal, and an audit trail", "[cli][close-file]") {
    OpenFilesServer server;
    const CommandResult no_filter = run_smbreaper(
        {"close-file", "--source", "snapshot:" + server.opens.string(), "--audit-db", server.audit_db.string()});
    CHECK(no_filter.exit_code == 2);
    CHECK_THAT(no_filter.err, Contains("needs a filter"));

    const CommandResult not_asked = server.close_file({"--file-id", "13194139534121"});
    CHECK(not_asked.exit_code == 1);
    CHECK_THAT(not_asked.err, Contains("not a terminal"));

    const CommandResult no_trail =
        run_smbreaper({"close-file", "--source", "snapshot:" + server.opens.string(), "--file-id", "1", "--force"});
    CHECK(no_trail.exit_code == 2);
    CHECK_THAT(no_trail.err, Contains("--audit-db"));
    CHECK(server.file_ids().size() == 3);
    CHECK(server.entries().empty());
}

TEST_CASE("close-file --what-if records what it would close and closes nothing", "[cli][close-file]") {
    OpenFilesServer server;
    const CommandResult result = server.close_file({"--client-user-name", "CONTOSO\\alice", "--what-if"});
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("What if: Performing operation 'Close-File' on Target '13194139534117'."));
    CHECK(server.file_ids().size() == 3);
    const auto entries = server.entries();
    REQUIRE(entries.size() == 2);
    for (const auto& entry : entries) CHECK(entry.outcome == storage::Outcome::WhatIf);
}

TEST_CASE("close-file with a filter nothing matches closes nothing", "[cli][close-file]") {
    OpenFilesServer server;
    const CommandResult result = server.close_file({"--file-id", "13194139534121", "--file-id", "42", "--force"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("'FileId' equal to '42'") && Contains("nothing closed"));
    CHECK(server.file_ids().size() == 3);
    CHECK(server.entries().empty());
}

TEST_CASE("close-file refuses the Samba source, saying what can be done instead", "[cli][close-file]") {
    test::TempDir dir;
    const CommandResult result = run_smbreaper({"close-file", "--source", "samba", "--audit-db",
                                                (dir / "audit.db").string(), "--file-id", "1234/5", "--force"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("Samba has no way to close one open file") &&
                               Contains("smbreaper close --session-id") && Contains("Nothing closed"));
    CHECK_FALSE(std::filesystem::exists(dir / "audit.db"));
}
