#include <catch2/catch.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_test_support.h"
#include "config/file_permissions.h"

using smbreaper::unsafe_permissions;
using smbreaper::test::TempDir;
namespace fs = std::filesystem;

namespace {

void set_mode(const fs::path& path, mode_t mode) { REQUIRE(::chmod(path.c_str(), mode) == 0); }

// A user that is neither root nor whoever runs the tests.
uid_t someone_else() {
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    REQUIRE(nobody->pw_uid != ::geteuid());
    return nobody->pw_uid;
}

struct Layout {
    TempDir dir;
    fs::path folder = dir / "etc";
    fs::path policy = folder / "policy.yaml";
    Layout() {
        fs::create_directory(folder);
        set_mode(dir.path(), 0755);
        set_mode(folder, 0755);
        smbreaper::test::write_file(policy, "version: 1\n");
        set_mode(policy, 0644);
    }
};

}  // namespace

TEST_CASE("a file only its owner can write, in folders only their owners can write, is accepted", "[permissions]") {
    Layout layout;
    REQUIRE_FALSE(unsafe_permissions(layout.policy, "the policy file"));
    set_mode(layout.policy, 0600);
    REQUIRE_FALSE(unsafe_permissions(layout.policy, "the policy file"));
}

TEST_CASE("a file its group or everyone can write is refused, with the chmod that fixes it", "[permissions]") {
    Layout layout;
    set_mode(layout.policy, 0666);
    auto problem = unsafe_permissions(layout.policy, "the policy file");
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("the policy file " + layout.policy.string() + " is writable by its group and everyone") !=
            std::string::npos);
    REQUIRE(problem->find("mode 0666") != std::string::npos);
    REQUIRE(problem->find("chmod go-w " + layout.policy.string()) != std::string::npos);

    set_mode(layout.policy, 0620);
    problem = unsafe_permissions(layout.policy, "the audit trail");
    REQUIRE(problem);
    REQUIRE(problem->find("the audit trail " + layout.policy.string() + " is writable by its group (mode 0620)") !=
            std::string::npos);
}

TEST_CASE("a folder on the path that others can write is refused: the file could be replaced", "[permissions]") {
    Layout layout;
    set_mode(layout.folder, 0777);
    const auto problem = unsafe_permissions(layout.policy, "the policy file");
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("the folder " + layout.folder.string()) != std::string::npos);
    REQUIRE(problem->find("could be replaced") != std::string::npos);
    REQUIRE(problem->find("chmod go-w " + layout.folder.string()) != std::string::npos);
}

TEST_CASE("a sticky folder writable by all (/tmp) is accepted", "[permissions]") {
    Layout layout;
    set_mode(layout.folder, 01777);
    REQUIRE_FALSE(unsafe_permissions(layout.policy, "the policy file"));
}

TEST_CASE("a file or folder owned by another user is refused", "[permissions]") {
    if (::geteuid() != 0) FAIL("changing a file's owner needs root: run the tests as root");
    Layout layout;
    REQUIRE(::chown(layout.policy.c_str(), someone_else(), static_cast<gid_t>(-1)) == 0);
    auto problem = unsafe_permissions(layout.policy, "the policy file");
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("belongs to nobody") != std::string::npos);
    REQUIRE(problem->find("chown root " + layout.policy.string()) != std::string::npos);

    REQUIRE(::chown(layout.policy.c_str(), 0, static_cast<gid_t>(-1)) == 0);
    REQUIRE(::chown(layout.folder.c_str(), someone_else(), static_cast<gid_t>(-1)) == 0);
    problem = unsafe_permissions(layout.policy, "the policy file");
    REQUIRE(problem);
    REQUIRE(problem->find("the folder " + layout.folder.string()) != std::string::npos);
}

TEST_CASE("a file that does not exist yet is judged by its folders", "[permissions]") {
    Layout layout;
    REQUIRE_FALSE(unsafe_permissions(layout.folder / "audit.db", "the audit trail"));
    set_mode(layout.folder, 0757);
    REQUIRE(unsafe_permissions(layout.folder / "audit.db", "the audit trail"));
}

TEST_CASE("a symbolic link is followed: the target and its folders are judged", "[permissions]") {
    Layout layout;
    const fs::path open_folder = layout.dir / "open";
    fs::create_directory(open_folder);
    set_mode(open_folder, 0777);
    const fs::path target = open_folder / "policy.yaml";
    smbreaper::test::write_file(target, "version: 1\n");
    set_mode(target, 0644);
    const fs::path link = layout.folder / "linked.yaml";
    fs::create_symlink(target, link);
    const auto problem = unsafe_permissions(link, "the policy file");
    REQUIRE(problem);
    REQUIRE(problem->find("the folder " + open_folder.string()) != std::string::npos);
}
