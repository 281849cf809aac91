#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit_test_support.h"
#include "storage/audit_entry.h"

using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_string;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::closure_entry;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::kAllOutcomes;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;
using smbreaper::storage::parse_entry_kind;
using smbreaper::storage::parse_mode;
using smbreaper::storage::parse_outcome;
using smbreaper::storage::to_string;

using namespace smbreaper;

TEST_CASE("kinds, outcomes and modes have stable stored names", "[audit][entry]") {
    CHECK(to_string(EntryKind::PolicyRejected) == "policy-rejected");
    CHECK(to_string(EntryKind::SourceError) == "source-error");
    CHECK(to_string(Outcome::WhatIf) == "what-if");
    CHECK(to_string(Mode::Manual) == "manual");
    for (const auto kind :
         {EntryKind::Closure, EntryKind::Start, EntryKind::Stop, EntryKind::PolicyLoaded, EntryKind::PolicyRejected,
          EntryKind::LimitTripped, EntryKind::SourceError, EntryKind::Pruned}) {
        CHECK(parse_entry_kind(to_string(kind)) == kind);
    }
    for (const auto outcome : kAllOutcomes) CHECK(parse_outcome(to_string(outcome)) == outcome);
    CHECK(std::size(kAllOutcomes) == 6);
    for (const auto mode : {Mode::Enforce, Mode::Audit, Mode::Manual}) CHECK(parse_mode(to_string(mode)) == mode);
    CHECK_FALSE(parse_outcome("Closed").has_value());
    CHECK_FALSE(parse_entry_kind("").has_value());
}

TEST_CASE("a closure entry carries the session's columns and its PassThru JSON", "[audit][entry]") {
    const SessionRecord session = test::sample_session(18446744073709551615u, "CORP\\bob", "LAB-7");
    const AuditEntry entry = closure_entry(session, Outcome::Pending);
    CHECK(entry.kind == EntryKind::Closure);
    CHECK(entry.outcome == Outcome::Pending);
    REQUIRE(entry.session);
    CHECK(entry.session->session_id == 18446744073709551615u);
    CHECK(entry.session->client_user_name == "CORP\\bob");
    CHECK(entry.session->smb_instance == "Default");
    CHECK(entry.session->seconds_idle == 7300);
    const auto passthru = nlohmann::json::parse(entry.passthru_json);
    CHECK(passthru["SessionId"] == 18446744073709551615u);
    CHECK(passthru["Shares"][0] == "projects");
}

TEST_CASE("an outcome entry copies the pending one and points back at it", "[audit][entry]") {
    AuditEntry pending = test::sample_closure(5, Outcome::Pending);
    pending.seq = 12;
    pending.time = "2024-05-01T12:00:00.000Z";
    pending.hash = std::string(64, 'b');
    pending.prev_hash = std::string(64, 'c');
    const AuditEntry outcome = outcome_entry(pending, Outcome::Vanished, "gone before close");
    CHECK(outcome.outcome == Outcome::Vanished);
    CHECK(outcome.error == "gone before close");
    CHECK(outcome.resolves_entry == 12);
    CHECK(outcome.rule == pending.rule);
    CHECK(outcome.passthru_json == pending.passthru_json);
    CHECK(outcome.seq == 0);
    CHECK(outcome.time.empty());
    CHECK(outcome.hash.empty());
    CHECK(outcome.prev_hash.empty());
}

TEST_CASE("an event entry has no outcome and keeps its details", "[audit][entry]") {
    const AuditEntry event = event_entry(EntryKind::LimitTripped, R"({"would_close":40,"sessions":50})");
    CHECK(event.kind == EntryKind::LimitTripped);
    CHECK_FALSE(event.outcome.has_value());
    CHECK_FALSE(event.session.has_value());
    CHECK(event.details_json == R"({"would_close":40,"sessions":50})");
}
