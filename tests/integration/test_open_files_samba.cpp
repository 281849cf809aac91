// Open files on a real smbd: a read-write open held by smbclient, a read-only one held by impacket
// (tests/integration/hold_open.py), as `smbreaper files` and `close-file` see them, and as the
// reaper judges and records them (protect.open_files: writes).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "audit_test_support.h"
#include "reaper_scenario.h"

using namespace std::chrono_literals;
using namespace smbreaper;

namespace {

const std::filesystem::path kWork = std::filesystem::temp_directory_path() / "smbreaper-open-files-test";

void put_file(const SambaScenario& scenario, const std::string& name) {
    const std::filesystem::path path = std::filesystem::path(scenario.samba.share_path()) / name;
    std::ofstream(path) << "contents of " << name << "\n";
    std::filesystem::permissions(path, std::filesystem::perms(0666));
}

// smbclient's `open` holds the file open for reading and writing.
SmbClientProcess& open_read_write(SambaScenario& scenario, const std::string& user, const std::string& file) {
    SmbClientProcess& client = scenario.connect(user);
    REQUIRE(client.send("open " + file));
    REQUIRE(client.wait_for_output("fnum", 20s));
    return client;
}

// impacket holds it open with FILE_READ_DATA only.
SmbClientProcess& open_read_only(SambaScenario& scenario, const std::string& user, const std::string& file) {
    auto client = std::make_unique<SmbClientProcess>(std::vector<std::string>{
        "python3", SMBREAPER_SOURCE_DIR "/tests/integration/hold_open.py", "127.0.0.1",
        std::to_string(scenario.samba.port()), user, SambaTestInstance::password_of(user), "share", file, "read"});
    INFO(client->output());
    REQUIRE(client->wait_for_output("held", 30s));
    return *(scenario.clients[user] = std::move(client));
}

struct Server : SambaScenario {
    explicit Server(const std::string& name) : SambaScenario(kWork / name) {}

    test::CommandResult smbreaper(const std::string& command, const std::vector<std::string>& arguments) const {
        std::vector<std::string> all{command, "--source", "samba", "--smb-conf", samba.conf()};
        all.insert(all.end(), arguments.begin(), arguments.end());
        return test::run_smbreaper(all);
    }
    nlohmann::json files() const {
        const auto result = smbreaper("files", {"--format", "json"});
        if (result.exit_code != 0) return nlohmann::json::array();
        return nlohmann::json::parse(result.out);
    }
};

const nlohmann::json* open_of(const nlohmann::json& opens, const std::string& file) {
    for (const auto& open : opens) {
        if (open["ShareRelativePath"] == file) return &open;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("files lists a read-write and a read-only open with their paths, users and access") {
    Server s("listed");
    put_file(s, "report.docx");
    put_file(s, "manual.pdf");
    open_read_write(s, "alice", "report.docx");
    open_read_only(s, "bob", "manual.pdf");

    nlohmann::json opens;
    REQUIRE(eventually([&] { return (opens = s.files()).size() == 2; }, 20s));
    const nlohmann::json* report = open_of(opens, "report.docx");
    const nlohmann::json* manual = open_of(opens, "manual.pdf");
    REQUIRE(report);
    REQUIRE(manual);
    CHECK((*report)["ClientUserName"] == "alice");
    CHECK((*report)["Writes"] == true);
    CHECK((*report)["Access"] == "RW");
    CHECK((*report)["Path"] == s.samba.share_path() + "/report.docx");
    CHECK((*manual)["ClientUserName"] == "bob");
    CHECK((*manual)["Writes"] == false);
    CHECK((*manual)["Access"] == "R");
    CHECK((*manual)["ClientComputerName"] == "127.0.0.1");
    CHECK((*manual)["SessionId"].is_number());
    CHECK((*manual)["OpenedAt"].is_string());

    // The filters, and the table for people.
    const auto bobs = s.smbreaper("files", {"--client-user-name", "bob"});
    INFO(bobs.err);
    REQUIRE(bobs.exit_code == 0);
    CHECK(bobs.out.find("manual.pdf") != std::string::npos);
    CHECK(bobs.out.find("report.docx") == std::string::npos);
}

TEST_CASE("close-file on Samba closes nothing and says what can be done instead") {
    Server s("close-file");
    put_file(s, "report.docx");
    SmbClientProcess& alice = open_read_write(s, "alice", "report.docx");
    nlohmann::json opens;
    REQUIRE(eventually([&] { return (opens = s.files()).size() == 1; }, 20s));

    const std::string file_id = opens[0]["FileId"];
    const auto result =
        s.smbreaper("close-file", {"--audit-db", (s.dir / "audit.db").string(), "--file-id", file_id, "--force"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("Samba has no way to close one open file") != std::string::npos);
    CHECK(s.files().size() == 1);
    CHECK_FALSE(alice.has_exited());
    CHECK_FALSE(std::filesystem::exists(s.dir / "audit.db"));
}

TEST_CASE("with protect.open_files: writes the reaper closes the idle reader, keeps the writer, and records the file") {
    Scenario s("open-files-reaper");
    put_file(s, "report.docx");
    put_file(s, "manual.pdf");
    SmbClientProcess& writer = open_read_write(s, "alice", "report.docx");
    open_read_only(s, "bob", "manual.pdf");

    Reaper reaper(s.policy("enforce", "confirm_polls: 2, max_close_fraction: 1.0",
                           "  - {name: idle-6s, action: close, match: {idle: '>= 6s'}}\n", "",
                           "  protect: {open_files: writes}\n"),
                  s.dir / "log");
    REQUIRE(eventually([&] { return contains(s.outcomes(), "closed:bob"); }));
    INFO(reaper.log());
    // bob's connection, and with it his open, is gone from the server.
    const auto open_files = [&s] {
        const auto listed =
            test::run_smbreaper({"files", "--source", "samba", "--smb-conf", s.samba.conf(), "--format", "json"});
        return listed.exit_code == 0 ? nlohmann::json::parse(listed.out) : nlohmann::json();
    };
    REQUIRE(eventually(
        [&] {
            const nlohmann::json opens = open_files();
            return opens.is_array() && !open_of(opens, "manual.pdf") && open_of(opens, "report.docx");
        },
        20s));
    std::this_thread::sleep_for(4s);  // alice has been idle long enough too
    REQUIRE(reaper.stop() == 0);
    CHECK(s.outcomes() == std::vector<std::string>{"closed:bob"});
    CHECK(reaper.log().find("guard open_files keeps session") != std::string::npos);
    CHECK_FALSE(writer.has_exited());

    // The closure records what bob held: the file, read-only, and since when.
    bool recorded = false;
    for (const smbreaper::storage::AuditEntry& entry : s.entries()) {
        if (!entry.outcome || !entry.session || entry.session->client_user_name != "bob") continue;
        const auto passthru = nlohmann::json::parse(entry.passthru_json);
        REQUIRE(passthru.contains("OpenFiles"));
        REQUIRE(passthru["OpenFiles"].size() == 1);
        CHECK(passthru["OpenFiles"][0]["ShareRelativePath"] == "manual.pdf");
        CHECK(passthru["OpenFiles"][0]["Writes"] == false);
        CHECK(passthru["OpenFiles"][0]["OpenedAt"].is_string());
        CHECK(passthru["WriteOpens"] == 0);
        recorded = true;
    }
    CHECK(recorded);
    CHECK(verifies(s.dir / "audit.db"));
}
