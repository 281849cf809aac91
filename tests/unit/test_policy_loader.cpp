#include <catch2/catch.hpp>

#include "policy_test_support.h"

using smbreaper::config::Diagnostic;
using smbreaper::config::load_policy_text;
using smbreaper::config::Severity;
using smbreaper::rules::OpenFilesProtection;
using smbreaper::rules::PolicyMode;
using smbreaper::rules::Rule;
using smbreaper::rules::RuleAction;
using smbreaper::rules::Settings;

using namespace smbreaper;

namespace {

// Loads `yaml`, requires it to be invalid, and returns the diagnostic with `code`.
Diagnostic error_for(const std::string& yaml, const std::string& code) {
    const auto result = load_test_policy(yaml);
    INFO(result.diagnostics.render_text());
    REQUIRE_FALSE(result.policy.has_value());
    const Diagnostic* found = find_diagnostic(result.diagnostics, code);
    REQUIRE(found != nullptr);
    REQUIRE(found->severity == Severity::Error);
    return *found;
}

const std::string kRulePrefix = "version: 1\nrules:\n  - name: r\n    action: close\n    match:\n";

}  // namespace

TEST_CASE("the reference policy loads with every setting", "[loader]") {
    const auto result = load_policy_text(R"(version: 1
settings:
  mode: enforce
  poll_interval: 45s
  source: snapshot:tables/today.json
  samba: {smb_conf: /etc/samba/other.conf, smbstatus: /usr/bin/smbstatus, smbcontrol: sc, timeout: 5s}
  audit_db: trail.db
  audit: {retention: 90d}
  limits: {max_closes_per_cycle: 7, max_close_fraction: 0.25, confirm_polls: 3}
  protect: {machine_accounts: false, non_default_instances: true, open_files: false}
  log: {file: logs/smbreaper.log, level: debug}
lists:
  l: [a]
rules:
  - name: r
    description: d
    enabled: false
    action: audit
    allow_open_files: true
    when: {days: [sat], hours: ['01:00-02:00', '03:00-04:00']}
    match: {user: {in: l}, idle: '>= 1h'}
)",
                                         "/etc/smbreaper/policy.yaml");
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    const Settings& s = result.policy->settings;
    REQUIRE(s.mode == PolicyMode::Enforce);
    REQUIRE(s.poll_interval_seconds == 45);
    REQUIRE(s.source.name == "snapshot");
    REQUIRE(s.source.file == "/etc/smbreaper/tables/today.json");
    REQUIRE(s.source.samba.smb_conf == "/etc/samba/other.conf");
    REQUIRE(s.source.samba.smbstatus == "/usr/bin/smbstatus");
    REQUIRE(s.source.samba.smbcontrol == "sc");
    REQUIRE(s.source.samba.timeout == std::chrono::seconds(5));
    REQUIRE(s.audit_db == "/etc/smbreaper/trail.db");
    REQUIRE(s.audit_retention_seconds == 90u * 86400u);
    REQUIRE(s.limits.max_closes_per_cycle == 7);
    REQUIRE(s.limits.max_close_fraction == 0.25);
    REQUIRE(s.limits.confirm_polls == 3);
    REQUIRE_FALSE(s.protect.machine_accounts);
    REQUIRE(s.protect.non_default_instances);
    REQUIRE(s.protect.open_files == OpenFilesProtection::Off);
    const Rule& rule = result.policy->rules.at(0);
    REQUIRE(rule.description == "d");
    REQUIRE_FALSE(rule.enabled);
    REQUIRE(rule.action == RuleAction::Audit);
    REQUIRE(rule.allow_open_files);
    REQUIRE(rule.when->days == 0b0100000);
    REQUIRE(rule.when->hours.size() == 2);
    REQUIRE(s.log.file == "/etc/smbreaper/logs/smbreaper.log");
    REQUIRE(s.log.level == "debug");
    REQUIRE(rule.location.line == 15);
}

TEST_CASE("protect.open_files takes any, writes, true or false, and says so for anything else", "[loader]") {
    const auto protection = [](const std::string& value) {
        return load_policy_text("version: 1\nsettings:\n  protect: {open_files: " + value +
                                    "}\nrules:\n  - {name: r, action: keep, match: {}}\n",
                                "/srv/p.yaml");
    };
    CHECK(protection("writes").policy->settings.protect.open_files == OpenFilesProtection::Writes);
    CHECK(protection("any").policy->settings.protect.open_files == OpenFilesProtection::Any);
    CHECK(protection("true").policy->settings.protect.open_files == OpenFilesProtection::Any);
    CHECK(protection("false").policy->settings.protect.open_files == OpenFilesProtection::Off);
    const auto wrong = protection("write");
    CHECK_FALSE(wrong.policy.has_value());
    const std::string text = wrong.diagnostics.render_text();
    CHECK(text.find("/srv/p.yaml:3:") != std::string::npos);
    CHECK(text.find("must be 'any'") != std::string::npos);
    CHECK(text.find("did you mean 'writes'") != std::string::npos);
}

TEST_CASE("defaults apply when settings are left out", "[loader]") {
    const auto result = load_policy_text("version: 1\nrules:\n  - {name: r, action: keep, match: {}}\n", "/srv/p.yaml");
    REQUIRE(result.policy.has_value());
    const Settings& s = result.policy->settings;
    REQUIRE(s.mode == PolicyMode::Audit);
    REQUIRE(s.poll_interval_seconds == 30);
    REQUIRE(s.source.name == "auto");
    REQUIRE(s.audit_db == "/srv/audit.db");
    REQUIRE(s.limits.max_closes_per_cycle == 50);
    REQUIRE(s.limits.max_close_fraction == 0.5);
    REQUIRE(s.limits.confirm_polls == 2);
    REQUIRE(s.protect.machine_accounts);
    REQUIRE(s.protect.open_files == OpenFilesProtection::Any);
}

TEST_CASE("a byte order mark and CRLF line ends are fine", "[loader]") {
    const auto result =
        load_test_policy("\xEF\xBB\xBFversion: 1\r\nrules:\r\n  - {name: r, action: keep, match: {}}\r\n");
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
}

TEST_CASE("YAML syntax errors are located and explained", "[loader][diagnostics]") {
    auto d = error_for(kRulePrefix + "      idle: >= 2h\n", "yaml-syntax");
    REQUIRE(d.location.line == 6);
    REQUIRE(d.message.find("must be quoted") != std::string::npos);

    d = error_for("version: 1\nrules:\n  - name: [unclosed\n", "yaml-syntax");
    REQUIRE(d.location.line >= 3);

    d = error_for(kRulePrefix + "      user: *admin\n", "yaml-syntax");
    REQUIRE(d.message.find("quoted") != std::string::npos);
}

TEST_CASE("unknown keys and fields get a did-you-mean", "[loader][diagnostics]") {
    auto d = error_for(kRulePrefix + "      usr: alice\n", "unknown-key");
    REQUIRE(d.location.line == 6);
    REQUIRE(d.location.column == 7);
    REQUIRE(d.message.find("did you mean 'user'") != std::string::npos);

    d = error_for("version: 1\nsetings: {}\nrules: []\n", "unknown-key");
    REQUIRE(d.location.line == 2);
    REQUIRE(d.location.column == 1);
    REQUIRE(d.message.find("did you mean 'settings'") != std::string::npos);

    d = error_for("version: 1\nsettings:\n  limits: {max_close_fracton: 0.3}\nrules: []\n", "unknown-key");
    REQUIRE(d.location.line == 3);
    REQUIRE(d.location.column == 12);
    REQUIRE(d.message.find("max_close_fraction") != std::string::npos);

    d = error_for("version: 1\nrules:\n  - name: r\n    acton: close\n    match: {}\n", "unknown-key");
    REQUIRE(d.message.find("did you mean 'action'") != std::string::npos);
}

TEST_CASE("every problem in the file is reported, not just the first", "[loader][diagnostics]") {
    const auto result = load_test_policy(R"(version: 1
settings:
  mode: enforse
  poll_interval: 2 hours
rules:
  - name: a
    action: close
    match: {idle: '>= 2x', client: '10.0.0.0/40'}
  - name: a
    action: clse
    match: {user: {regex: '(unclosed'}}
)");
    REQUIRE_FALSE(result.policy.has_value());
    const auto& d = result.diagnostics;
    REQUIRE(d.error_count() == 7);
    REQUIRE(find_diagnostic(d, "bad-value")->location.line == 3);
    REQUIRE(find_diagnostic(d, "bad-value")->message.find("did you mean 'enforce'") != std::string::npos);
    REQUIRE(find_diagnostic(d, "bad-duration")->location.line == 4);
    REQUIRE(find_diagnostic(d, "bad-cidr")->location.line == 8);
    REQUIRE(find_diagnostic(d, "duplicate-rule")->location.line == 9);
    REQUIRE(find_diagnostic(d, "bad-regex")->location.line == 11);
}

TEST_CASE("each kind of bad value has its own located error", "[loader][diagnostics]") {
    struct Case {
        std::string yaml;
        std::string code;
        int line;
        int column;
        std::string says;
    };
    const std::vector<Case> cases = {
        {kRulePrefix + "      idle: '>= 2 hours'\n", "bad-duration", 6, 13, "(90s, 15m, 2h"},
        {kRulePrefix + "      idle: '2h..1h'\n", "bad-duration", 6, 13, "range is empty"},
        {kRulePrefix + "      open_files: many\n", "bad-comparison", 6, 19, "whole number"},
        {kRulePrefix + "      dialect: '< 4.0'\n", "bad-comparison", 6, 16, "3.1.1"},
        {kRulePrefix + "      client: 'fe80::/200'\n", "bad-cidr", 6, 15, "fd00::/8"},
        {kRulePrefix + "      user: {regex: '[a-'}\n", "bad-regex", 6, 22, "close the character class"},
        {kRulePrefix + "      user: {regex: 'svc_(?!x).*'}\n", "bad-regex", 6, 26,
         "lookahead and lookbehind are not supported"},
        {kRulePrefix + "      user: {regex: '(?<=a)b'}\n", "bad-regex", 6, 22, "lookahead and lookbehind"},
        {kRulePrefix + "      client: {regex: '(ws)-\\1'}\n", "bad-regex", 6, 29, "backreferences are not supported"},
        {kRulePrefix + "      user: {regex: 'a{1001}'}\n", "bad-regex", 6, 23, "up to 1000"},
        {kRulePrefix + "      smb_instance: CVS\n", "bad-value", 6, 21, "did you mean 'CSV'"},
        {kRulePrefix + "      encrypted: maybe\n", "wrong-type", 6, 18, "true or false"},
        {kRulePrefix + "      user: {in: admins}\n", "unknown-list", 6, 18, "lists:"},
        {kRulePrefix + "      user: {in: x, regex: y}\n", "bad-matcher", 6, 13, "any:"},
        {kRulePrefix + "      idle: []\n", "empty-list", 6, 13, "empty list"},
        {kRulePrefix + "      any: []\n", "empty-list", 6, 12, "at least one"},
        {kRulePrefix + "      all: {user: a}\n", "wrong-type", 6, 12, "list"},
        {kRulePrefix + "      user: {a: b}\n", "unknown-key", 6, 14, "expected one of"},
        {"version: 1\nrules:\n  - name: r\n    action: close\n    match: {}\n    when: {days: [weekdays]}\n", "bad-day",
         6, 19, "mon-fri"},
        {"version: 1\nrules:\n  - name: r\n    action: close\n    match: {}\n    when: {hours: '7pm-7am'}\n",
         "bad-time", 6, 19, "19:00-07:00"},
        {"version: 2\nrules: []\n", "unsupported-version", 1, 10, "version: 1"},
        {"rules: []\n", "missing-key", 1, 1, "version: 1"},
        {"version: 1\n", "missing-key", 1, 1, "rules:"},
        {"version: 1\nrules:\n  - action: close\n    match: {}\n", "missing-key", 3, 5, "name:"},
        {"version: 1\nrules:\n  - name: r\n    match: {}\n", "missing-key", 3, 5, "action:"},
        {"version: 1\nrules:\n  - name: r\n    action: close\n", "missing-key", 3, 5, "match: {}"},
        {"version: 1\nsettings:\n  limits: {max_close_fraction: 1.5}\nrules: []\n", "out-of-range", 3, 32, "at most 1"},
        {"version: 1\nsettings:\n  limits: {max_close_fraction: 0}\nrules: []\n", "out-of-range", 3, 32, "above 0"},
        {"version: 1\nsettings:\n  limits: {confirm_polls: 0}\nrules: []\n", "out-of-range", 3, 27, "between 1"},
        {"version: 1\nsettings:\n  limits: {max_closes_per_cycle: -1}\nrules: []\n", "wrong-type", 3, 34,
         "whole number"},
        {"version: 1\nsettings:\n  poll_interval: 0s\nrules: []\n", "out-of-range", 3, 18, "between 1s"},
        {"version: 1\nsettings:\n  samba: {timeout: 1h}\nrules: []\n", "out-of-range", 3, 20, "10m"},
        {"version: 1\nsettings:\n  source: smb\nrules: []\n", "bad-value", 3, 11, "did you mean 'samba'"},
        {"version: 1\nsettings:\n  source: 'snapshot:'\nrules: []\n", "bad-value", 3, 11, "snapshot:PATH"},
        {"version: 1\nsettings:\n  protect: {machine_accounts: no way}\nrules: []\n", "wrong-type", 3, 31,
         "true or false"},
        {"version: 1\nsettings:\n  protect: {open_files: no way}\nrules: []\n", "bad-value", 3, 25, "'writes'"},
        {"version: 1\nsettings: [a]\nrules: []\n", "wrong-type", 2, 11, "mapping"},
        {"version: 1\nsettings:\n  log: {level: verbose}\nrules: []\n", "bad-value", 3, 16, "trace, debug"},
        {"version: 1\nsettings:\n  mode: audit\n  mode: enforce\nrules: []\n", "duplicate-key", 4, 3, "twice"},
        {"version: 1\nlists:\n  a: [x]\n  a: [y]\nrules: []\n", "duplicate-key", 4, 3, "twice"},
        {"version: 1\nlists:\n  a: [[x]]\nrules: []\n", "wrong-type", 3, 7, "single values"},
        {"version: 1\nrules: {a: b}\n", "wrong-type", 2, 8, "list"},
        {"version: 1\nrules:\n  - name: r\n    action: clos\n    match: {}\n", "bad-value", 4, 13,
         "did you mean 'close'"},
        {"version: 1\nrules:\n  - name: ''\n    action: keep\n    match: {}\n", "bad-value", 3, 11, "empty"},
        {"version: 1\nrules:\n  - name: r\n    action: keep\n    enabled: yes please\n    match: {}\n", "wrong-type", 5,
         14, "true or false"},
        {"- just\n- a list\n", "wrong-type", 1, 1, "mapping"},
        {"", "empty", 1, 1, "version: 1"},
        {"version: 1\nrules: []\n---\nversion: 1\n", "several-documents", 4, 1, "one policy per file"},
        {std::string("version: 1\nrules: []\n\x01\x02", 24), "binary", 0, 0, "text file"},
    };
    for (const Case& c : cases) {
        INFO(c.yaml);
        const Diagnostic d = error_for(c.yaml, c.code);
        if (c.line > 0) {
            CHECK(d.location.line == c.line);
            CHECK(d.location.column == c.column);
        }
        CHECK(d.message.find(c.says) != std::string::npos);
    }
}

TEST_CASE("text diagnostics show file, line, column, the line and a caret", "[loader][diagnostics]") {
    const auto result = load_test_policy(kRulePrefix + "      usr: alice\n");
    const std::string text = result.diagnostics.render_text();
    REQUIRE(text.find("test.yaml:6:7: error: unknown key 'usr'") != std::string::npos);
    REQUIRE(text.find("\n        usr: alice\n        ^\n") != std::string::npos);
}

TEST_CASE("JSON diagnostics carry the same facts", "[loader][diagnostics]") {
    const auto result = load_test_policy(kRulePrefix + "      usr: alice\n");
    const std::string json = result.diagnostics.render_json();
    REQUIRE(json.find(R"("valid":false)") != std::string::npos);
    REQUIRE(json.find(R"("code":"unknown-key")") != std::string::npos);
    REQUIRE(json.find(R"("line":6,"column":7)") != std::string::npos);
}

TEST_CASE("no bytes crash the loader", "[loader][robustness]") {
    const std::vector<std::string> hostile = {
        std::string(100000, '['),
        std::string(5000, '{') + std::string(5000, '}'),
        "version: 1\nrules:\n" + std::string(3000, ' ') + "- x",
        "&a [*a]",
        "version: &v 1\nrules: *v\n",
        "version: 1\nrules:\n  - name: r\n    action: close\n    match: " + std::string(200, '{') +
            std::string(200, '}'),
        "\xFF\xFE\x00v",
        "version: !!binary aGVsbG8=\nrules: []\n",
        "? [a, b]\n: c\n",
        "version: 1\nrules:\n  - name: r\n    action: close\n    match:\n      not: [a]\n",
        "version: 1\nrules:\n  - name: r\n    action: close\n    match:\n      all: [[]]\n",
        // yaml-cpp's LoadAll looped on a comma at the top of a document until memory ran out
        // (found by fuzz_policy_loader; tests/fuzz/regressions/fuzz_policy_loader/).
        ",",
        "[a]\n,",
        "\"version\",",
        "version: 1\nrules: []\n---\n,\n",
    };
    for (const std::string& text : hostile) {
        const auto result = load_test_policy(text);
        REQUIRE_FALSE(result.policy.has_value());
        REQUIRE(result.diagnostics.has_errors());
    }
}

TEST_CASE("a NUL byte written as YAML's \\0 escape is refused in any value", "[loader][robustness]") {
    // The operating system would cut the path short at the NUL: "audit.db\0x" would name audit.db.
    const Diagnostic error = error_for(
        "version: 1\nsettings:\n  audit_db: \"trail.db\\0.bak\"\nrules:\n"
        "  - {name: r, action: close, match: {idle: '>= 1h'}}\n",
        "binary");
    REQUIRE(error.location.line == 3);
    REQUIRE(error.message.find("settings.audit_db holds a NUL byte") != std::string::npos);
    error_for(kRulePrefix + "      user: \"alice\\0\"\n", "binary");
}

TEST_CASE("a stray comma at the top of the file is a located syntax error", "[loader][diagnostics]") {
    Diagnostic error = error_for(",\n", "yaml-syntax");
    REQUIRE(error.location.line == 1);
    REQUIRE(error.location.column == 1);
    REQUIRE(error.message.find("unexpected ','") != std::string::npos);
    error = error_for("# a comment\n\"version\",\n", "yaml-syntax");
    REQUIRE(error.location.line == 2);
    REQUIRE(error.location.column == 10);
}

TEST_CASE("settings.metrics: the endpoint on loopback, the textfile beside the policy", "[loader][metrics]") {
    const auto result = load_test_policy(
        "version: 1\nsettings:\n  metrics: {listen: 9469, textfile: metrics/smbreaper.prom}\nrules: []\n");
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    const auto& metrics = result.policy->settings.metrics;
    REQUIRE(metrics.listen == "127.0.0.1:9469");
    REQUIRE_FALSE(metrics.allow_remote);
    REQUIRE(metrics.textfile.filename() == "smbreaper.prom");
    REQUIRE(metrics.textfile.parent_path().filename() == "metrics");

    const auto without = load_test_policy("version: 1\nrules: []\n");
    REQUIRE(without.policy->settings.metrics.listen.empty());
    REQUIRE(without.policy->settings.metrics.textfile.empty());
}

TEST_CASE("settings.metrics: beyond loopback only when asked for", "[loader][metrics]") {
    const Diagnostic error = error_for("version: 1\nsettings:\n  metrics:\n    listen: 0.0.0.0:9469\nrules: []\n",
                                       "metrics-beyond-loopback");
    REQUIRE(error.location.line == 4);
    REQUIRE(error.location.column == 13);
    REQUIRE(error.message.find("127.0.0.1:9469") != std::string::npos);
    REQUIRE(error.message.find("allow_remote: true") != std::string::npos);

    const auto allowed =
        load_test_policy("version: 1\nsettings:\n  metrics: {listen: '0.0.0.0:9469', allow_remote: true}\nrules: []\n");
    INFO(allowed.diagnostics.render_text());
    REQUIRE(allowed.policy.has_value());
    REQUIRE(allowed.policy->settings.metrics.listen == "0.0.0.0:9469");
}

TEST_CASE("settings.metrics: bad values are located errors that say what to write", "[loader][metrics]") {
    Diagnostic error = error_for("version: 1\nsettings:\n  metrics: {listen: '[::1]:9469'}\nrules: []\n", "bad-value");
    REQUIRE(error.location.line == 3);
    REQUIRE(error.message.find("IPv6") != std::string::npos);
    error = error_for("version: 1\nsettings:\n  metrics: {listen: 70000}\nrules: []\n", "bad-value");
    REQUIRE(error.message.find("1 to 65535") != std::string::npos);
    error = error_for("version: 1\nsettings:\n  metrics: {textfile: /var/lib/node/smbreaper.txt}\nrules: []\n",
                      "bad-value");
    REQUIRE(error.message.find("'/var/lib/node/smbreaper.txt.prom'") != std::string::npos);
    error = error_for("version: 1\nsettings:\n  metrics: {listen: 9469, port: 9469}\nrules: []\n", "unknown-key");
    REQUIRE(error.location.line == 3);
    error_for("version: 1\nsettings:\n  metrics: {allow_remote: maybe}\nrules: []\n", "wrong-type");
    error_for("version: 1\nsettings:\n  metrics: 9469\nrules: []\n", "wrong-type");
}
