// For every field a rule can test: a session whose source lacks the value, or gives it as null,
// is never closed past a rule that might protect it. Driven by the field descriptors, so a new
// field cannot be added without a case here.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

#include "config/policy_loader.h"
#include "policy_test_support.h"
#include "rules/evaluator.h"
#include "rules/field.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

using smbreaper::rules::all_fields;
using smbreaper::rules::Evaluator;
using smbreaper::rules::Field;
using smbreaper::rules::FieldDescriptor;
using smbreaper::rules::find_field;
using smbreaper::rules::LocalTime;
using smbreaper::rules::Policy;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SessionRecord;

using namespace smbreaper;
using nlohmann::json;

namespace {

// A session every test below knows in full, in the snapshot format (MSFT_SmbSession's property
// names plus the extras).
json full_session() {
    return {{"SessionId", 42},
            {"ClientComputerName", "10.0.5.21"},
            {"ClientUserName", "CORP\\alice"},
            {"ScopeName", "*"},
            {"ClusterNodeName", "N1"},
            {"SmbInstance", 0},
            {"NumOpens", 0},
            {"SecondsIdle", 7200},
            {"SecondsExists", 9000},
            {"Dialect", "3.1.1"},
            {"TransportName", "TCP"},
            {"Shares", {"projects"}},
            {"Encrypted", false},
            {"Signed", false},
            {"WriteOpens", 0},
            {"OldestOpen", 0},
            {"OpenPaths", json::array()}};
}

// Per field, tests that do not hold for full_session(); several where the matchers differ.
const std::multimap<std::string, std::string> kFailingTests = {
    {"user", "user: 'CORP\\svc_*'"},
    {"user", "user: {regex: 'svc_.*'}"},
    {"client", "client: '192.168.0.0/16'"},
    {"client", "client: 'LAB-*'"},
    {"client", "client: {regex: 'ws-\\d+'}"},
    {"scope", "scope: 'FS01'"},
    {"cluster_node", "cluster_node: 'N2'"},
    {"smb_instance", "smb_instance: CSV"},
    {"dialect", "dialect: '< 3.0'"},
    {"transport", "transport: rdma"},
    {"open_files", "open_files: '> 5'"},
    {"idle", "idle: '>= 5h'"},
    {"age", "age: '>= 100h'"},
    {"shares", "shares: finance"},
    {"encrypted", "encrypted: true"},
    {"signed", "signed: true"},
    {"write_opens", "write_opens: '> 0'"},
    {"oldest_open", "oldest_open: '> 1h'"},
    {"open_paths", "open_paths: '*.pst'"},
};

// The guards are off: the rules alone must keep the session.
const std::string kPrefix = R"(version: 1
settings:
  protect: {machine_accounts: false, non_default_instances: false, open_files: false}
rules:
)";

Policy load(const std::string& yaml) {
    auto result = load_test_policy(yaml);
    INFO(yaml << result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return std::move(*result.policy);
}

VerdictKind verdict_of(const Policy& policy, const json& session) {
    const std::vector<SessionRecord> sessions = parse_windows_sessions_json("[" + session.dump() + "]", "test");
    REQUIRE(sessions.size() == 1);
    return Evaluator(policy, LocalTime{1, 12 * 60}).evaluate(sessions.front()).kind;
}

// The policy closes the full session, and keeps it when `property` is missing or null.
void check_kept_without(const Policy& policy, const std::string& property) {
    CHECK(verdict_of(policy, full_session()) == VerdictKind::Close);
    json absent = full_session();
    absent.erase(property);
    CHECK(verdict_of(policy, absent) == VerdictKind::Keep);
    json null = full_session();
    null[property] = nullptr;
    CHECK(verdict_of(policy, null) == VerdictKind::Keep);
}

}  // namespace

TEST_CASE("every field has a case here", "[unknown]") {
    std::set<std::string> covered;
    for (const auto& [field, test] : kFailingTests) covered.insert(field);
    for (const FieldDescriptor& field : all_fields()) {
        if (field.field == Field::SessionId) continue;  // the key: a record without it is refused
        INFO(field.name);
        CHECK(covered.count(std::string(field.name)) == 1);
    }
}

TEST_CASE("a session lacking a field is kept by a keep rule that might match it", "[unknown]") {
    for (const auto& [name, test] : kFailingTests) {
        const Policy policy = load(kPrefix + "  - name: protect\n    action: keep\n    match: {" + test +
                                   "}\n  - name: everyone\n    action: close\n    match: {session_id: '>= 0'}\n");
        const std::string property(find_field(name)->property);
        INFO(test << " / " << property);
        check_kept_without(policy, property);
    }
}

TEST_CASE("a session lacking a field is not closed past an exception on it", "[unknown]") {
    for (const auto& [name, test] : kFailingTests) {
        const Policy policy = load(kPrefix +
                                   "  - name: everyone\n    action: close\n    match: {session_id: '>= 0'}\n"
                                   "    except:\n      - {" +
                                   test + "}\n");
        const std::string property(find_field(name)->property);
        INFO(test << " / " << property);
        check_kept_without(policy, property);
    }
}

TEST_CASE("a session lacking a field is not closed by a rule that needs it", "[unknown]") {
    // The negated test holds for the full session; without the value it is unknown.
    for (const auto& [name, test] : kFailingTests) {
        const Policy policy = load(kPrefix + "  - name: other\n    action: close\n    match: {not: {" + test + "}}\n");
        const std::string property(find_field(name)->property);
        INFO(test << " / " << property);
        check_kept_without(policy, property);
    }
}

TEST_CASE("the guards protect a session whose guarded value is unknown", "[unknown][guards]") {
    const Policy policy = load(R"(version: 1
rules:
  - name: everyone
    action: close
    allow_open_files: true
    match: {session_id: '>= 0'}
)");
    CHECK(verdict_of(policy, full_session()) == VerdictKind::Close);
    for (const char* property : {"ClientUserName", "SmbInstance"}) {
        INFO(property);
        json session = full_session();
        session.erase(property);
        CHECK(verdict_of(policy, session) == VerdictKind::Keep);
    }
}
