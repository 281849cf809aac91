#include <catch2/catch.hpp>

#include "policy_test_support.h"
#include "rules/explain.h"

using smbreaper::rules::explain_rule;
using smbreaper::rules::Rule;

using namespace smbreaper;

namespace {
std::vector<std::string> explain(const std::string& yaml) {
    const auto result = load_test_policy(yaml);
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    std::vector<std::string> lines;
    for (const Rule& rule : result.policy->rules) lines.push_back(explain_rule(rule));
    return lines;
}
}  // namespace

TEST_CASE("each rule explains itself in one canonical line", "[explain]") {
    const auto lines = explain(R"(version: 1
lists:
  lab_clients: ['10.20.0.0/16', 'LAB-*']
rules:
  - name: idle-2h
    action: close
    match:
      idle: '>= 2h'
      open_files: 0
  - name: legacy-dialects
    action: close
    allow_open_files: true
    match: {dialect: '< 3.0', idle: 30m}
    except:
      - client: {in: lab_clients}
      - {user: bob, age: '1h..2h'}
  - name: contractors
    action: audit
    enabled: false
    when: {days: [mon-fri], hours: '19:00-07:00'}
    match:
      any:
        - user: 'CORP\ext-*'
        - user: {regex: 'v-\d+'}
      not: {smb_instance: [CSV, SR]}
  - name: everything
    action: keep
    match: {}
  - name: misc
    action: keep
    match: {client: ['fe80::/10', 'PC-1'], encrypted: false, session_id: ['< 10', '== 42']}
)");
    REQUIRE(lines.at(0) == "close idle-2h: idle >= 7200s and open_files == 0");
    REQUIRE(lines.at(1) ==
            "close legacy-dialects: dialect < 3.0 and idle == 1800s except client in lab_clients or "
            "(user == 'bob' and age in 3600s..7200s) [allow_open_files]");
    REQUIRE(lines.at(2) ==
            "audit contractors: (user like 'CORP\\ext-*' or user matches /v-\\d+/) and not "
            "(smb_instance in (CSV, SR)) when mon-fri 19:00-07:00 [disabled]");
    REQUIRE(lines.at(3) == "keep everything: any session");
    REQUIRE(lines.at(4) ==
            "keep misc: client in ('PC-1', fe80::/10) and encrypted == false and "
            "(session_id < 10 or session_id == 42)");
}
