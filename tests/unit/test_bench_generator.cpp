#include <catch2/catch.hpp>

#include "bench/generator/policy_generator.h"
#include "bench/generator/session_mix.h"
#include "bench/generator/smbstatus_table.h"
#include "bench/generator/windows_table.h"
#include "config/policy_loader.h"
#include "sessions/samba/smbstatus_parser.h"
#include "sessions/snapshot/snapshot_file.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

using smbreaper::config::load_policy_text;
using smbreaper::config::PolicyLoadResult;
using smbreaper::sessions::detect_snapshot_format;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SmbstatusDocument;
using smbreaper::sessions::SnapshotFormat;

using namespace smbreaper;
using namespace smbreaper::bench;

TEST_CASE("generated policies of every benchmark size load without errors") {
    for (std::size_t rules : {1, 2, 5, 9, 50, 200}) {
        INFO(rules << " rules");
        const PolicyLoadResult loaded = load_policy_text(generate_policy(rules), "generated.yaml");
        INFO(loaded.diagnostics.render_text());
        REQUIRE(loaded.policy);
        CHECK(loaded.policy->rules.size() == rules);
        CHECK(loaded.policy->rules.back().name == "idle-2h");
    }
}

TEST_CASE("generated policies use every kind of matcher the benchmarks are meant to cover") {
    const std::string policy = generate_policy(50);
    for (const char* feature : {"{in: ", "{regex: ", "/16'", "::/32", "except:", "when:", "any:", "not:", "'*$'"}) {
        INFO(feature);
        CHECK(policy.find(feature) != std::string::npos);
    }
}

TEST_CASE("the session mix is deterministic, and a smaller table is the start of a larger one") {
    const std::vector<SessionRecord> small = generate_sessions(100);
    const std::vector<SessionRecord> large = generate_sessions(1000);
    for (std::size_t i = 0; i < small.size(); ++i) {
        CHECK(small[i].session_id == large[i].session_id);
        CHECK(small[i].client_user_name == large[i].client_user_name);
        CHECK(small[i].peer_address == large[i].peer_address);
    }
    CHECK(windows_table({300}) == windows_table({300}));
    CHECK(smbstatus_table({300}) == smbstatus_table({300}));
    CHECK(windows_table({300, 7}) != windows_table({300}));
}

TEST_CASE("the mix holds machine accounts, bracketed IPv6 clients, old dialects and other instances") {
    const std::vector<SessionRecord> sessions = generate_sessions(2000);
    const auto count = [&](auto predicate) { return std::count_if(sessions.begin(), sessions.end(), predicate); };
    CHECK(count([](const SessionRecord& s) { return s.client_user_name->back() == '$'; }) > 60);
    CHECK(count([](const SessionRecord& s) { return s.client_computer_name->front() == '['; }) > 150);
    CHECK(count([](const SessionRecord& s) { return *s.dialect_revision < Dialect::Smb3_0; }) > 100);
    CHECK(count([](const SessionRecord& s) { return s.smb_instance != SmbInstance::Default; }) > 30);
    CHECK(count([](const SessionRecord& s) { return *s.num_opens > 0; }) > 500);
    CHECK(count([](const SessionRecord& s) { return *s.seconds_idle >= 7200; }) > 400);
}

TEST_CASE("a generated Windows table reads back as the generated sessions, with or without CIM properties") {
    const std::vector<SessionRecord> expected = generate_sessions(500);
    for (bool cim : {false, true}) {
        const std::string text = windows_table({500, kDefaultSeed, cim});
        CHECK(text.starts_with("\xEF\xBB\xBF[\r\n    {\r\n        \"ClientComputerName\":  "));
        CHECK(detect_snapshot_format(text) == SnapshotFormat::Windows);
        const std::vector<SessionRecord> read = parse_windows_sessions_json(text, "generated");
        REQUIRE(read.size() == expected.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            CHECK(read[i].session_id == expected[i].session_id);
            CHECK(read[i].client_computer_name == expected[i].client_computer_name);
            CHECK(read[i].client_user_name == expected[i].client_user_name);
            CHECK(read[i].scope_name == expected[i].scope_name);
            CHECK(read[i].cluster_node_name == expected[i].cluster_node_name);
            CHECK(read[i].smb_instance == expected[i].smb_instance);
            CHECK(read[i].num_opens == expected[i].num_opens);
            CHECK(read[i].seconds_idle == expected[i].seconds_idle);
            CHECK(read[i].seconds_exists == expected[i].seconds_exists);
            CHECK(read[i].dialect_revision == expected[i].dialect_revision);
        }
    }
    CHECK(windows_table({0}) == "\xEF\xBB\xBF[\r\n]\r\n");
}

TEST_CASE("a generated smbstatus document reads back as the generated sessions") {
    const std::vector<SessionRecord> expected = generate_sessions(500);
    const std::string text = smbstatus_table({500});
    CHECK(detect_snapshot_format(text) == SnapshotFormat::Smbstatus);
    const SmbstatusDocument document = parse_smbstatus_json(text, "generated");
    REQUIRE(document.sessions.size() == expected.size());
    std::size_t opens_read = 0, opens_generated = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {  // both are in SessionId order
        const SessionRecord& read = document.sessions[i];
        CHECK(read.session_id == expected[i].session_id);
        CHECK(read.client_user_name == expected[i].client_user_name);
        CHECK(read.peer_address == expected[i].peer_address);
        CHECK(read.dialect_revision == expected[i].dialect_revision);
        CHECK(read.samba_server_id->pid == expected[i].samba_server_id->pid);
        CHECK(read.uid == expected[i].uid);
        CHECK(read.seconds_exists == expected[i].seconds_exists);
        CHECK(read.encrypted == expected[i].encrypted);
        CHECK(read.signing == expected[i].signing);
        std::vector<std::string> shares = *expected[i].shares;
        std::sort(shares.begin(), shares.end());
        CHECK(*read.shares == shares);
        // Sessions sharing a connection may also count each other's opens (docs/SNAPSHOTS.md).
        CHECK(*read.num_opens >= *expected[i].num_opens);
        opens_read += *read.num_opens;
        opens_generated += *expected[i].num_opens;
    }
    CHECK(opens_generated > 300);
    CHECK(opens_read < opens_generated * 11 / 10);
}
