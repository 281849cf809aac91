#include <catch2/catch.hpp>

#include "config/acl_check.h"

using smbreaper::config::AccessControlEntry;
using smbreaper::config::kAuditTrailRole;
using smbreaper::config::kFileChangeRights;
using smbreaper::config::kFolderReplaceRights;
using smbreaper::config::kPolicyFileRole;
using smbreaper::config::ObjectSecurity;
using smbreaper::config::trusted_file_refusal;
using smbreaper::config::untrusted_writers;

using namespace smbreaper;

namespace {

constexpr const char* kSystem = "S-1-5-18";
constexpr const char* kAdministrators = "S-1-5-32-544";
constexpr const char* kUsers = "S-1-5-32-545";
constexpr const char* kAlice = "S-1-5-21-1004336348-1177238915-682003330-1001";

constexpr std::uint32_t kFullControl = 0x001F01FF;
constexpr std::uint32_t kReadAndExecute = 0x001200A9;
constexpr std::uint32_t kAddFileAndFolder = 0x0006;  // what ProgramData gives Users on folders

AccessControlEntry allow(const char* sid, std::uint32_t mask, const char* name = "", bool inherit_only = false) {
    return {AccessControlEntry::Kind::Allow, sid, name, mask, inherit_only};
}

// What a file created by an administrator under %ProgramData% gets on Windows Server.
ObjectSecurity administrators_file() {
    return {kAdministrators,
            "BUILTIN\\Administrators",
            true,
            {allow(kSystem, kFullControl), allow(kAdministrators, kFullControl),
             allow(kUsers, kReadAndExecute, "BUILTIN\\Users")}};
}

// %ProgramData%\smbreaper as Windows creates it: Users may add files and folders, CREATOR OWNER
// gets full control on what is created inside (inherit-only).
ObjectSecurity program_data_folder() {
    return {kSystem,
            "NT AUTHORITY\\SYSTEM",
            true,
            {allow(kSystem, kFullControl), allow(kAdministrators, kFullControl),
             allow("S-1-3-0", kFullControl, "CREATOR OWNER", true), allow(kUsers, kReadAndExecute, "BUILTIN\\Users"),
             allow(kUsers, kAddFileAndFolder, "BUILTIN\\Users")}};
}

}  // namespace

TEST_CASE("a policy only Administrators and SYSTEM can change is obeyed", "[config][acl]") {
    const ObjectSecurity file = administrators_file();
    CHECK(untrusted_writers(file, kFileChangeRights).empty());
    CHECK_FALSE(
        trusted_file_refusal(kPolicyFileRole, "policy.yaml", &file, "folder", program_data_folder()).has_value());
}

TEST_CASE("a file Users may write is refused, naming them", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.dacl.push_back(allow(kUsers, 0x0002 /* FILE_WRITE_DATA */, "BUILTIN\\Users"));
    const auto refusal = trusted_file_refusal(kPolicyFileRole, "C:\\ProgramData\\smbreaper\\policy.yaml", &file,
                                              "folder", program_data_folder());
    REQUIRE(refusal.has_value());
    CHECK_THAT(
        *refusal,
        Catch::Contains("on C:\\ProgramData\\smbreaper\\policy.yaml: BUILTIN\\Users (S-1-5-32-545) may change it"));
}

TEST_CASE("append, delete, permissions, ownership and generic rights each count as a change", "[config][acl]") {
    for (std::uint32_t right : {0x0004u, 0x00010000u, 0x00040000u, 0x00080000u, 0x10000000u, 0x40000000u}) {
        ObjectSecurity file = administrators_file();
        file.dacl.push_back(allow(kAlice, right));
        CAPTURE(right);
        CHECK(untrusted_writers(file, kFileChangeRights) ==
              std::vector<std::string>{std::string(kAlice) + " may change it"});
    }
}

TEST_CASE("an owner other than Administrators or SYSTEM is refused: owners can rewrite permissions", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.owner_sid = kAlice;
    file.owner_name = "CORP\\alice";
    CHECK(untrusted_writers(file, kFileChangeRights) ==
          std::vector<std::string>{"CORP\\alice (" + std::string(kAlice) +
                                   ") owns it (an owner can change its permissions)"});
    file.owner_sid = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";  // TrustedInstaller
    CHECK(untrusted_writers(file, kFileChangeRights).empty());
}

TEST_CASE("OWNER RIGHTS entries apply to the owner", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.dacl.push_back(allow("S-1-3-4", kFullControl, "OWNER RIGHTS"));
    CHECK(untrusted_writers(file, kFileChangeRights).empty());
    file.owner_sid = kAlice;
    CHECK(untrusted_writers(file, kFileChangeRights).size() == 2);
}

TEST_CASE("a NULL DACL lets everyone write", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.has_dacl = false;
    file.dacl.clear();
    CHECK_THAT(untrusted_writers(file, kFileChangeRights).front(), Catch::Contains("Everyone"));
}

TEST_CASE("read access, deny entries and inherit-only entries grant no change", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.dacl.push_back(allow(kAlice, kReadAndExecute));
    file.dacl.push_back(allow("S-1-3-0", kFullControl, "CREATOR OWNER", true));
    file.dacl.push_back({AccessControlEntry::Kind::Deny, kAlice, "", kFullControl, false});
    CHECK(untrusted_writers(file, kFileChangeRights).empty());
}

TEST_CASE("a folder where others may delete children could replace the file", "[config][acl]") {
    ObjectSecurity folder = program_data_folder();
    CHECK(untrusted_writers(folder, kFolderReplaceRights).empty());  // adding files cannot overwrite one
    folder.dacl.push_back(allow(kUsers, 0x0040 /* FILE_DELETE_CHILD */, "BUILTIN\\Users"));
    const ObjectSecurity file = administrators_file();
    const auto refusal = trusted_file_refusal(kPolicyFileRole, "p.yaml", &file, "C:\\policies", folder);
    REQUIRE(refusal.has_value());
    CHECK_THAT(*refusal, Catch::Contains("on its folder C:\\policies (which could replace it): BUILTIN\\Users"));
    CHECK_THAT(*refusal, !Catch::Contains("on p.yaml"));
}

TEST_CASE("the account the service runs as is trusted like SYSTEM", "[config][acl]") {
    ObjectSecurity file = administrators_file();
    file.owner_sid = kAlice;
    file.dacl.push_back(allow(kAlice, kFullControl));
    CHECK(untrusted_writers(file, kFileChangeRights, kAlice).empty());
    CHECK(untrusted_writers(file, kFileChangeRights, kSystem).size() == 2);
    CHECK_FALSE(trusted_file_refusal(kPolicyFileRole, "p", &file, "f", program_data_folder(), kAlice).has_value());
}

TEST_CASE("the audit trail's folder must not let others create files: a planted journal would be replayed",
          "[config][acl]") {
    // %ProgramData%\smbreaper as Windows creates it lets Users add files: harmless for the policy,
    // not for the trail, beside which a planted audit.db-journal would be taken for SQLite's own.
    const ObjectSecurity file = administrators_file();
    CHECK_FALSE(
        trusted_file_refusal(kPolicyFileRole, "policy.yaml", &file, "C:\\ProgramData\\smbreaper", program_data_folder())
            .has_value());
    const auto refusal =
        trusted_file_refusal(kAuditTrailRole, "audit.db", &file, "C:\\ProgramData\\smbreaper", program_data_folder());
    REQUIRE(refusal.has_value());
    CHECK_THAT(*refusal, Catch::StartsWith("refusing the audit trail: it is the record of every closure"));
    CHECK_THAT(*refusal, Catch::Contains("on its folder C:\\ProgramData\\smbreaper (which could replace it, or plant "
                                         "files beside it): BUILTIN\\Users (S-1-5-32-545) may change it"));
    // A trail not created yet is judged by its folder alone.
    CHECK(trusted_file_refusal(kAuditTrailRole, "audit.db", nullptr, "C:\\ProgramData\\smbreaper",
                               program_data_folder()));
    // The folder the MSI locks down: SYSTEM and Administrators full control, Users read.
    const ObjectSecurity locked{kAdministrators,
                                "BUILTIN\\Administrators",
                                true,
                                {allow(kSystem, kFullControl), allow(kAdministrators, kFullControl),
                                 allow(kUsers, kReadAndExecute, "BUILTIN\\Users")}};
    CHECK_FALSE(trusted_file_refusal(kAuditTrailRole, "audit.db", nullptr, "C:\\ProgramData\\smbreaper", locked));
}
