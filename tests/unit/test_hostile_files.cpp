// What an attacker or a careless admin can hand smbreaper instead of a file: a FIFO (which blocks
// a reader forever), /dev/zero (which never ends), a folder, a link swapped in a folder others may
// write. Every command refuses them at once with a clear error. POSIX only.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "audit_test_support.h"

using namespace smbreaper;
using test::TempDir;

namespace {

struct Files {
    TempDir dir;
    std::filesystem::path fifo = dir / "fifo";
    Files() { REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0); }
};

void check_refused(const std::vector<std::string>& arguments, const std::string& says) {
    const test::CommandResult result = test::run_smbreaper(arguments);
    INFO(arguments.front() << ": " << result.out << result.err);
    CHECK(result.exit_code != 0);
    CHECK((result.out + result.err).find(says) != std::string::npos);
}

}  // namespace

TEST_CASE("check and run refuse a FIFO or a folder as the policy, without blocking", "[hostile][files]") {
    Files files;
    check_refused({"check", files.fifo.string()}, "is a FIFO, not a regular file");
    check_refused({"check", files.dir.path().string()}, "is a folder, not a regular file");
    check_refused({"run", "--once", "--no-syslog", "--policy", files.fifo.string()}, "is a FIFO, not a regular file");
    check_refused({"simulate", "--policy", files.fifo.string(), "--snapshot", files.fifo.string()}, "is a FIFO");
}

TEST_CASE("simulate refuses a FIFO or /dev/zero as the snapshot", "[hostile][files]") {
    Files files;
    test::write_file(files.dir / "policy.yaml", "version: 1\nrules: []\n");
    const std::string policy = (files.dir / "policy.yaml").string();
    check_refused({"simulate", "--policy", policy, "--snapshot", files.fifo.string()}, "is a FIFO, not a regular file");
    check_refused({"simulate", "--policy", policy, "--snapshot", "/dev/zero"}, "is a device, not a regular file");
}

TEST_CASE("the audit commands refuse a FIFO as the trail", "[hostile][files]") {
    Files files;
    for (const char* command : {"verify", "list", "export"}) {
        check_refused({"audit", command, "--db", files.fifo.string()}, "is a FIFO, not a regular file");
    }
}

TEST_CASE("run refuses a policy reached through a link in a folder others can write", "[hostile][files]") {
    TempDir dir;
    std::filesystem::create_directory(dir / "safe");
    std::filesystem::create_directory(dir / "ww");
    REQUIRE(::chmod((dir / "ww").c_str(), 0777) == 0);
    test::write_file(dir / "safe" / "keep.yaml", "version: 1\nsettings:\n  source: snapshot:table.json\nrules: []\n");
    test::write_file(dir / "safe" / "table.json", "[]");
    std::filesystem::create_symlink(dir / "safe" / "keep.yaml", dir / "ww" / "policy.yaml");
    check_refused({"run", "--once", "--no-syslog", "--policy", (dir / "ww" / "policy.yaml").string()},
                  "the folder " + (dir / "ww").string());
    CHECK_FALSE(std::filesystem::exists(dir / "safe" / "audit.db"));
}

TEST_CASE("run refuses an audit trail reached through a link in a folder others can write", "[hostile][files]") {
    TempDir dir;
    std::filesystem::create_directory(dir / "ww");
    REQUIRE(::chmod((dir / "ww").c_str(), 0777) == 0);
    std::filesystem::create_symlink(dir / "real.db", dir / "ww" / "audit.db");
    test::write_file(dir / "table.json", "[]");
    test::write_file(dir / "policy.yaml",
                     "version: 1\nsettings:\n  source: snapshot:table.json\n  audit_db: ww/audit.db\nrules: []\n");
    check_refused({"run", "--once", "--no-syslog", "--policy", (dir / "policy.yaml").string()},
                  "the folder " + (dir / "ww").string());
}

TEST_CASE("an error naming hostile bytes reaches the terminal escaped", "[hostile][files]") {
    // What a source prints (smbstatus' complaints) or a path holds reaches standard error; raw, it
    // could drive the terminal (ESC) or carry bytes that are not text.
    TempDir dir;
    const std::string name = "table-\xFF\x1B[31m.json";
    const auto result = test::run_smbreaper({"sessions", "--source", "snapshot:" + (dir / name).string()});
    INFO(result.err);
    CHECK(result.exit_code != 0);
    CHECK(result.err.find('\x1B') == std::string::npos);
    CHECK(result.err.find('\xFF') == std::string::npos);
    CHECK(result.err.find("table-\\xFF\\x1B[31m.json") != std::string::npos);
}
