#include <catch2/catch.hpp>

#include "policy_test_support.h"

using smbreaper::config::Diagnostic;
using smbreaper::config::Severity;

using namespace smbreaper;

namespace {

std::vector<Diagnostic> warnings_of(const std::string& yaml) {
    const auto result = load_test_policy(yaml);
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    std::vector<Diagnostic> warnings;
    for (const auto& d : result.diagnostics.items()) {
        if (d.severity == Severity::Warning) warnings.push_back(d);
    }
    return warnings;
}

bool has_warning(const std::vector<Diagnostic>& warnings, const std::string& code, int line) {
    for (const auto& w : warnings) {
        if (w.code == code && w.location.line == line) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a rule behind a broader earlier rule can never fire", "[lint]") {
    const auto warnings = warnings_of(R"(version: 1
rules:
  - name: idle-1h
    action: close
    match: {idle: '>= 1h'}
  - name: idle-2h-alice
    action: close
    match: {idle: '>= 2h', user: alice}
  - name: idle-30m
    action: close
    match: {idle: '>= 30m'}
)");
    REQUIRE(has_warning(warnings, "unreachable-rule", 6));
    REQUIRE_FALSE(has_warning(warnings, "unreachable-rule", 9));  // 30m..1h still reaches it
}

TEST_CASE("shadowing is judged per kind of matcher", "[lint]") {
    const auto warnings = warnings_of(R"(version: 1
rules:
  - name: everyone
    action: keep
    match: {user: '*'}
  - name: never
    action: close
    match: {user: bob, idle: '> 1h'}
)");
    REQUIRE(has_warning(warnings, "unreachable-rule", 6));

    const auto more = warnings_of(R"(version: 1
rules:
  - name: instances
    action: keep
    match: {smb_instance: [CSV, SBL, SR]}
  - name: csv-only
    action: close
    match: {smb_instance: CSV, idle: '> 1h'}
  - name: dialect-low
    action: keep
    match: {dialect: '< 3.0'}
  - name: dialect-lower
    action: close
    match: {dialect: '2.0.2', idle: '> 1h'}
  - name: encrypted
    action: keep
    match: {encrypted: true}
  - name: encrypted-idle
    action: close
    match: {encrypted: true, idle: '> 1h'}
)");
    REQUIRE(has_warning(more, "unreachable-rule", 6));
    REQUIRE(has_warning(more, "unreachable-rule", 12));
    REQUIRE(has_warning(more, "unreachable-rule", 18));
}

TEST_CASE("rules with a when, an except or disabled do not shadow", "[lint]") {
    const auto warnings = warnings_of(R"(version: 1
rules:
  - name: nights
    action: keep
    when: {hours: '19:00-07:00'}
    match: {}
  - name: not-bob
    action: keep
    match: {}
    except: [{user: bob}]
  - name: off
    enabled: false
    action: keep
    match: {}
  - name: idle
    action: close
    match: {idle: '> 1h'}
)");
    REQUIRE_FALSE(has_warning(warnings, "unreachable-rule", 15));
}

TEST_CASE("a close rule without idle or age is flagged", "[lint]") {
    const auto warnings = warnings_of(R"(version: 1
rules:
  - name: by-user
    action: close
    match: {user: eve}
  - name: either
    action: close
    match: {any: [{idle: '> 1h'}, {user: eve}]}
  - name: fine
    action: close
    match: {any: [{idle: '> 1h'}, {age: '> 1d'}]}
  - name: not-idle
    action: close
    match: {not: {idle: '< 1h'}}
  - name: audit-only
    action: audit
    match: {user: eve}
)");
    REQUIRE(has_warning(warnings, "close-without-idle", 3));
    REQUIRE(has_warning(warnings, "close-without-idle", 6));
    REQUIRE_FALSE(has_warning(warnings, "close-without-idle", 9));
    REQUIRE(has_warning(warnings, "close-without-idle", 12));
    REQUIRE_FALSE(has_warning(warnings, "close-without-idle", 15));
}

TEST_CASE("fields the configured source cannot provide are flagged", "[lint]") {
    const auto warnings = warnings_of(R"(version: 1
settings: {source: wmi}
rules:
  - name: keep-encrypted
    action: keep
    match: {encrypted: true}
  - name: finance
    action: audit
    match: {shares: finance}
)");
    REQUIRE(has_warning(warnings, "field-not-provided", 4));
    REQUIRE(has_warning(warnings, "field-not-provided", 7));
    const auto samba = warnings_of(
        "version: 1\nsettings: {source: samba}\nrules:\n  - {name: r, action: audit, match: {shares: x}}\n");
    REQUIRE_FALSE(has_warning(samba, "field-not-provided", 4));
}

TEST_CASE("a settings section the named source does not read is flagged", "[lint][sources]") {
    const std::string rules = "rules:\n  - {name: r, action: audit, match: {idle: '>= 1h'}}\n";
    const auto wmi = warnings_of("version: 1\nsettings:\n  source: wmi\n  samba: {timeout: 5s}\n" + rules);
    REQUIRE(has_warning(wmi, "unused-setting", 4));
    const auto samba = warnings_of("version: 1\nsettings:\n  source: samba\n  samba: {timeout: 5s}\n" + rules);
    REQUIRE_FALSE(has_warning(samba, "unused-setting", 4));
    // auto: the policy may run on either platform; each reads its own source's section.
    const auto automatic = warnings_of("version: 1\nsettings:\n  samba: {timeout: 5s}\n" + rules);
    REQUIRE_FALSE(has_warning(automatic, "unused-setting", 3));
}

TEST_CASE("unused lists and empty rule lists are flagged", "[lint]") {
    const auto warnings = warnings_of("version: 1\nlists:\n  spare: [a]\nrules: []\n");
    REQUIRE(has_warning(warnings, "unused-list", 3));
    REQUIRE(has_warning(warnings, "no-rules", 1));
}

TEST_CASE("a bare duration is flagged: it means exactly that many seconds", "[lint]") {
    const auto warnings = warnings_of(
        "version: 1\nrules:\n  - {name: r, action: audit, match: {idle: 2h}}\n"
        "  - {name: s, action: audit, match: {age: '>= 2h'}}\n");
    REQUIRE(has_warning(warnings, "exact-duration", 3));
    REQUIRE_FALSE(has_warning(warnings, "exact-duration", 4));
}
