// Reading a policy file's owner and DACL with the Windows API, and the service's refusal of a file
// others can change. Under Wine a file's owner is always the Wine user (the account the tests and
// the service run as) and its DACL follows the Unix permission bits: Everyone gets write access
// when the file is world-writable. The decision itself, over every kind of entry, is tested with
// plain values in tests/unit/test_acl_check.cpp.
#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "config/file_permissions.h"
#include "config/windows/file_security.h"
#include "windows_test_support.h"

using smbreaper::config::AccessControlEntry;
using smbreaper::config::apply_security_descriptor;
using smbreaper::config::kFileChangeRights;
using smbreaper::config::kFolderReplaceRights;
using smbreaper::config::ObjectSecurity;
using smbreaper::config::read_object_security;
using smbreaper::config::restrict_to_administrators;
using smbreaper::config::TrustedFile;
using smbreaper::config::unsafe_permissions;

using namespace smbreaper;

namespace {

constexpr const char* kEveryone = "S-1-1-0";

bool grants(const ObjectSecurity& security, const std::string& sid, std::uint32_t rights) {
    for (const AccessControlEntry& entry : security.dacl) {
        if (entry.kind == AccessControlEntry::Kind::Allow && entry.sid == sid && (entry.mask & rights) != 0)
            return true;
    }
    return false;
}

}  // namespace

TEST_CASE("the owner and DACL are read as SIDs with names and access masks", "[acl][wine]") {
    test::TempDir folder;
    test::write_file(folder / "policy.yaml", "version: 1\nrules: []\n");
    const ObjectSecurity security = read_object_security(folder / "policy.yaml");
    CHECK_THAT(security.owner_sid, Catch::StartsWith("S-1-5-"));
    CHECK_FALSE(security.owner_name.empty());
    REQUIRE(security.has_dacl);
    bool system_found = false;
    for (const AccessControlEntry& entry : security.dacl) {
        if (entry.sid == "S-1-5-18") {
            system_found = true;
            CHECK(entry.name == "NT AUTHORITY\\SYSTEM");
            CHECK((entry.mask & 0x001F01FF) == 0x001F01FF);
        }
    }
    CHECK(system_found);
}

TEST_CASE("a policy only trusted accounts can change is accepted", "[acl][wine]") {
    test::TempDir folder;
    test::write_file(folder / "policy.yaml", "version: 1\nrules: []\n");
    CHECK_FALSE(grants(read_object_security(folder / "policy.yaml"), kEveryone, kFileChangeRights));
    CHECK_FALSE(unsafe_permissions(folder / "policy.yaml", TrustedFile::Policy).has_value());
}

TEST_CASE("a policy Everyone may write is refused, naming Everyone", "[acl][wine]") {
    test::TempDir folder;
    test::write_file(folder / "policy.yaml", "version: 1\nrules: []\n");
    apply_security_descriptor(folder / "policy.yaml", L"O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FRFW;;;WD)");
    REQUIRE(grants(read_object_security(folder / "policy.yaml"), kEveryone, kFileChangeRights));
    const auto refusal = unsafe_permissions(folder / "policy.yaml", TrustedFile::Policy);
    REQUIRE(refusal.has_value());
    CHECK_THAT(*refusal, Catch::Contains("policy.yaml: Everyone (S-1-1-0) may change it"));
    CHECK_THAT(*refusal, !Catch::Contains("on its folder"));
}

TEST_CASE("a policy in a folder Everyone may change is refused", "[acl][wine]") {
    test::TempDir folder;
    test::write_file(folder / "policy.yaml", "version: 1\nrules: []\n");
    apply_security_descriptor(folder.path(), L"O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;WD)");
    const auto refusal = unsafe_permissions(folder / "policy.yaml", TrustedFile::Policy);
    REQUIRE(refusal.has_value());
    CHECK_THAT(*refusal, Catch::Contains("on its folder") && Catch::Contains("Everyone (S-1-1-0) may change it"));
}

TEST_CASE("a policy file that does not exist is left to the loader", "[acl][wine]") {
    test::TempDir folder;
    CHECK_FALSE(unsafe_permissions(folder / "missing.yaml", TrustedFile::Policy).has_value());
}

TEST_CASE("an audit trail in a folder others may write is refused, until the folder is locked down", "[acl][wine]") {
    // Wine keeps only what Unix permission bits can say, so the finer case (Users may create
    // files, which the trail's folder must not allow and the policy's may) is tested with plain
    // values in tests/unit/test_acl_check.cpp.
    test::TempDir folder;
    apply_security_descriptor(folder.path(), L"O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;WD)");
    const auto refusal = unsafe_permissions(folder / "audit.db", TrustedFile::AuditTrail);
    REQUIRE(refusal.has_value());
    CHECK_THAT(*refusal, Catch::StartsWith("refusing the audit trail") && Catch::Contains("plant files beside it") &&
                             Catch::Contains("Everyone (S-1-1-0)"));
    restrict_to_administrators(folder.path());
    CHECK_FALSE(unsafe_permissions(folder / "audit.db", TrustedFile::AuditTrail).has_value());
}

TEST_CASE("restrict_to_administrators takes write access away from everyone else", "[acl][wine]") {
    test::TempDir folder;
    apply_security_descriptor(folder.path(), L"O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;WD)");
    REQUIRE(grants(read_object_security(folder.path()), kEveryone, kFolderReplaceRights));
    restrict_to_administrators(folder.path());
    CHECK_FALSE(grants(read_object_security(folder.path()), kEveryone, kFolderReplaceRights));
}
