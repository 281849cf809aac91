#include <catch2/catch.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_test_support.h"
#include "config/file_permissions.h"

using smbreaper::common::OpenedFile;
using smbreaper::config::unsafe_permissions;

using smbreaper::config::unsafe_permissions;
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
    REQUIRE_FALSE(unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy));
    set_mode(layout.policy, 0600);
    REQUIRE_FALSE(unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy));
}

TEST_CASE("a file its group or everyone can write is refused, with the chmod that fixes it", "[permissions]") {
    Layout layout;
    set_mode(layout.policy, 0666);
    auto problem = unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("the policy file " + layout.policy.string() + " is writable by its group and everyone") !=
            std::string::npos);
    REQUIRE(problem->find("mode 0666") != std::string::npos);
    REQUIRE(problem->find("chmod go-w " + layout.policy.string()) != std::string::npos);

    set_mode(layout.policy, 0620);
    problem = unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::AuditTrail);
    REQUIRE(problem);
    REQUIRE(problem->find("the audit trail " + layout.policy.string() + " is writable by its group (mode 0620)") !=
            std::string::npos);
}

TEST_CASE("a folder on the path that others can write is refused: the file could be replaced", "[permissions]") {
    Layout layout;
    set_mode(layout.folder, 0777);
    const auto problem = unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("the folder " + layout.folder.string()) != std::string::npos);
    REQUIRE(problem->find("could be replaced") != std::string::npos);
    REQUIRE(problem->find("chmod go-w " + layout.folder.string()) != std::string::npos);
}

TEST_CASE("a sticky folder writable by all (/tmp) is accepted", "[permissions]") {
    Layout layout;
    set_mode(layout.folder, 01777);
    REQUIRE_FALSE(unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy));
}

TEST_CASE("a file or folder owned by another user is refused", "[permissions]") {
    if (::geteuid() != 0) FAIL("changing a file's owner needs root: run the tests as root");
    Layout layout;
    REQUIRE(::chown(layout.policy.c_str(), someone_else(), static_cast<gid_t>(-1)) == 0);
    auto problem = unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    INFO(*problem);
    REQUIRE(problem->find("belongs to nobody") != std::string::npos);
    REQUIRE(problem->find("chown root " + layout.policy.string()) != std::string::npos);

    REQUIRE(::chown(layout.policy.c_str(), 0, static_cast<gid_t>(-1)) == 0);
    REQUIRE(::chown(layout.folder.c_str(), someone_else(), static_cast<gid_t>(-1)) == 0);
    problem = unsafe_permissions(layout.policy, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    REQUIRE(problem->find("the folder " + layout.folder.string()) != std::string::npos);
}

TEST_CASE("a file that does not exist yet is judged by its folders", "[permissions]") {
    Layout layout;
    REQUIRE_FALSE(unsafe_permissions(layout.folder / "audit.db", smbreaper::config::TrustedFile::AuditTrail));
    set_mode(layout.folder, 0757);
    REQUIRE(unsafe_permissions(layout.folder / "audit.db", smbreaper::config::TrustedFile::AuditTrail));
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
    const auto problem = unsafe_permissions(link, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    REQUIRE(problem->find("the folder " + open_folder.string()) != std::string::npos);
}

TEST_CASE("a link in a folder others can write is refused, though it leads to a safe file", "[permissions][links]") {
    // ww/policy.yaml -> etc/policy.yaml: whoever can write ww/ can point the link at a policy of
    // their own, and the running service would load it.
    Layout layout;
    const fs::path open_folder = layout.dir / "ww";
    fs::create_directory(open_folder);
    set_mode(open_folder, 0777);
    const fs::path link = open_folder / "policy.yaml";
    fs::create_symlink(layout.policy, link);
    const auto problem = unsafe_permissions(link, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    INFO(*problem);
    CHECK(problem->find("the folder " + open_folder.string()) != std::string::npos);
    CHECK(problem->find("could be replaced") != std::string::npos);

    set_mode(open_folder, 0755);
    CHECK_FALSE(unsafe_permissions(link, smbreaper::config::TrustedFile::Policy));
}

TEST_CASE("a link that someone else owns is refused, even in a sticky folder", "[permissions][links]") {
    if (::geteuid() != 0) FAIL("changing a link's owner needs root: run the tests as root");
    Layout layout;
    const fs::path sticky = layout.dir / "tmp";
    fs::create_directory(sticky);
    set_mode(sticky, 01777);
    const fs::path link = sticky / "policy.yaml";
    fs::create_symlink(layout.policy, link);
    CHECK_FALSE(unsafe_permissions(link, smbreaper::config::TrustedFile::Policy));
    REQUIRE(::lchown(link.c_str(), someone_else(), static_cast<gid_t>(-1)) == 0);
    const auto problem = unsafe_permissions(link, smbreaper::config::TrustedFile::Policy);
    REQUIRE(problem);
    INFO(*problem);
    CHECK(problem->find("the symbolic link " + link.string()) != std::string::npos);
    CHECK(problem->find("chown -h root " + link.string()) != std::string::npos);
}

TEST_CASE("links are resolved as the kernel does: relative targets, links to folders, '..', loops",
          "[permissions][links]") {
    Layout layout;
    // A relative link through '..' to the safe file: accepted.
    const fs::path other = layout.dir / "other";
    fs::create_directory(other);
    set_mode(other, 0755);
    fs::create_symlink("../etc/policy.yaml", other / "relative.yaml");
    CHECK_FALSE(unsafe_permissions(other / "relative.yaml", smbreaper::config::TrustedFile::Policy));

    // A link to a folder others can write: the file under it is refused.
    const fs::path open_folder = layout.dir / "open";
    fs::create_directory(open_folder);
    set_mode(open_folder, 0777);
    smbreaper::test::write_file(open_folder / "policy.yaml", "version: 1\n");
    set_mode(open_folder / "policy.yaml", 0644);
    fs::create_symlink(open_folder, other / "config");
    const auto through_folder =
        unsafe_permissions(other / "config" / "policy.yaml", smbreaper::config::TrustedFile::Policy);
    REQUIRE(through_folder);
    CHECK(through_folder->find("the folder " + open_folder.string()) != std::string::npos);

    // A loop cannot be checked, and says so rather than looping.
    fs::create_symlink(other / "b", other / "a");
    fs::create_symlink(other / "a", other / "b");
    const auto loop = unsafe_permissions(other / "a", smbreaper::config::TrustedFile::Policy);
    REQUIRE(loop);
    CHECK(loop->find("too many levels of symbolic links") != std::string::npos);
}

TEST_CASE("the opened file is judged by its own owner and mode", "[permissions]") {
    Layout layout;
    using smbreaper::common::OpenedFile;
    CHECK_FALSE(smbreaper::config::unsafe_opened_file(OpenedFile{10, ::geteuid(), 0644}, layout.policy,
                                                      smbreaper::config::TrustedFile::Policy));
    const auto writable = smbreaper::config::unsafe_opened_file(OpenedFile{10, ::geteuid(), 0666}, layout.policy,
                                                                smbreaper::config::TrustedFile::Policy);
    REQUIRE(writable);
    CHECK(writable->find("writable by its group and everyone") != std::string::npos);
    if (::geteuid() == 0) {
        CHECK(smbreaper::config::unsafe_opened_file(OpenedFile{10, someone_else(), 0644}, layout.policy,
                                                    smbreaper::config::TrustedFile::Policy));
    }
}
