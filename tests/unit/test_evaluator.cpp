#include <catch2/catch.hpp>

#include <set>

#include "policy_test_support.h"
#include "rules/evaluator.h"
#include "rules/simulation.h"
#include "rules/text_matcher.h"

using smbreaper::rules::Condition;
using smbreaper::rules::Evaluator;
using smbreaper::rules::exceeds_close_fraction;
using smbreaper::rules::FieldTest;
using smbreaper::rules::Guard;
using smbreaper::rules::LocalTime;
using smbreaper::rules::Policy;
using smbreaper::rules::Rule;
using smbreaper::rules::simulate;
using smbreaper::rules::Simulation;
using smbreaper::rules::Verdict;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

using namespace smbreaper;

namespace {

SessionRecord session(const std::string& user, std::uint32_t idle, std::uint64_t opens = 0) {
    SessionRecord s;
    s.session_id = 1;
    s.client_user_name = user;
    s.client_computer_name = "10.0.0.5";
    s.seconds_idle = idle;
    s.seconds_exists = idle + 60;
    s.num_opens = opens;
    s.dialect = "3.1.1";
    s.dialect_revision = Dialect::Smb3_1_1;
    s.transport_name = "tcp";
    s.scope_name = "*";
    s.cluster_node_name = "fs01";
    s.smb_instance = SmbInstance::Default;
    return s;
}

Policy policy_from(const std::string& yaml) {
    auto result = load_test_policy(yaml);
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return std::move(*result.policy);
}

const LocalTime kTuesdayNoon{1, 12 * 60};

Verdict decide(const Policy& policy, const SessionRecord& s, LocalTime now = kTuesdayNoon) {
    return Evaluator(policy, now).evaluate(s);
}

}  // namespace

TEST_CASE("the first matching rule decides", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
lists:
  service_accounts: ['CORP\svc_*', backup]
rules:
  - name: keep-service
    action: keep
    match: {user: {in: service_accounts}}
  - name: idle-2h
    action: close
    match: {idle: '>= 2h', open_files: 0}
  - name: idle-1h-audit
    action: audit
    match: {idle: '>= 1h'}
)");
    auto v = decide(policy, session("CORP\\svc_sql", 9000));
    REQUIRE(v.kind == VerdictKind::Keep);
    REQUIRE(v.rule->name == "keep-service");

    v = decide(policy, session("alice", 7200));
    REQUIRE(v.kind == VerdictKind::Close);
    REQUIRE(v.rule->name == "idle-2h");

    v = decide(policy, session("alice", 4000));
    REQUIRE(v.kind == VerdictKind::Audit);
    REQUIRE(v.rule->name == "idle-1h-audit");

    v = decide(policy, session("alice", 60));
    REQUIRE(v.kind == VerdictKind::Keep);
    REQUIRE(v.rule == nullptr);
}

TEST_CASE("an exception stops its rule and lets later rules decide", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: legacy
    action: close
    allow_open_files: true
    match: {dialect: '< 3.0'}
    except:
      - client: ['10.20.0.0/16', 'LAB-*']
      - user: bob
  - name: catch-all-audit
    action: audit
    match: {}
)");
    SessionRecord old = session("alice", 10);
    old.dialect = "2.1";
    old.dialect_revision = Dialect::Smb2_1;
    old.client_computer_name = "10.30.1.1";
    REQUIRE(decide(policy, old).kind == VerdictKind::Close);

    old.client_computer_name = "10.20.1.1";
    REQUIRE(decide(policy, old).rule->name == "catch-all-audit");
    old.client_computer_name = "lab-pc7";
    REQUIRE(decide(policy, old).rule->name == "catch-all-audit");
    old.client_computer_name = "10.30.1.1";
    old.client_user_name = "BOB";
    REQUIRE(decide(policy, old).rule->name == "catch-all-audit");
}

TEST_CASE("the guards turn close and audit into keep, but allow_open_files lifts the open-files guard",
          "[evaluator][guards]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: idle-close
    action: close
    match: {idle: '>= 1h', user: 'a*'}
  - name: idle-close-open
    action: close
    allow_open_files: true
    match: {idle: '>= 1h', user: 'b*'}
  - name: idle-audit
    action: audit
    match: {idle: '>= 1h'}
)");
    auto v = decide(policy, session("HOST01$", 7200));
    REQUIRE(v.kind == VerdictKind::Keep);
    REQUIRE(v.guard == Guard::MachineAccounts);
    REQUIRE(v.rule->name == "idle-audit");

    SessionRecord csv = session("alice", 7200);
    csv.smb_instance = SmbInstance::CSV;
    v = decide(policy, csv);
    REQUIRE(v.guard == Guard::NonDefaultInstances);
    REQUIRE(v.kind == VerdictKind::Keep);

    v = decide(policy, session("alice", 7200, 3));
    REQUIRE(v.guard == Guard::OpenFiles);
    REQUIRE(v.rule->name == "idle-close");

    v = decide(policy, session("bob", 7200, 3));
    REQUIRE(v.kind == VerdictKind::Close);
    REQUIRE(v.guard == Guard::None);

    SessionRecord unknown_opens = session("bob", 7200);
    unknown_opens.num_opens.reset();
    v = decide(policy, unknown_opens);
    REQUIRE(v.kind == VerdictKind::Close);  // allow_open_files: the rule accepts open files, known or not

    unknown_opens.client_user_name = "alice";
    v = decide(policy, unknown_opens);
    REQUIRE(v.guard == Guard::OpenFiles);  // unknown open files count as open
}

TEST_CASE("with protect.open_files: writes, only opens that may write protect a session", "[evaluator][guards]") {
    const Policy policy = policy_from(R"(version: 1
settings:
  protect: {open_files: writes}
rules:
  - name: idle
    action: close
    match: {idle: '>= 1h'}
)");
    SessionRecord reader = session("alice", 7200, 2);
    reader.write_opens = 0;  // two opens, both read-only: the sleeping laptop with a PDF open
    CHECK(decide(policy, reader).kind == VerdictKind::Close);

    SessionRecord writer = session("bob", 7200, 2);
    writer.write_opens = 1;
    CHECK(decide(policy, writer).guard == Guard::OpenFiles);

    SessionRecord not_listed = session("carol", 7200, 2);  // NumOpens known, the opens themselves not
    CHECK(decide(policy, not_listed).guard == Guard::OpenFiles);

    SessionRecord nothing_known = session("dave", 7200);
    nothing_known.num_opens.reset();
    CHECK(decide(policy, nothing_known).guard == Guard::OpenFiles);

    CHECK(decide(policy, session("erin", 7200, 0)).kind == VerdictKind::Close);

    // Read-only only against a known count: NumOpens unknown keeps the guard whatever WriteOpens says.
    SessionRecord count_unknown = session("frank", 7200);
    count_unknown.num_opens.reset();
    count_unknown.write_opens = 0;
    CHECK(decide(policy, count_unknown).guard == Guard::OpenFiles);

    // NumOpens read as 0, then a write open listed (Windows reads the two classes one after the other).
    SessionRecord opened_since = session("grace", 7200, 0);
    opened_since.write_opens = 1;
    opened_since.open_paths = std::vector<std::string>{"draft.docx"};
    CHECK(decide(policy, opened_since).guard == Guard::OpenFiles);

    // The default, any: a read-only open protects too.
    const Policy any = policy_from("version: 1\nrules:\n  - {name: idle, action: close, match: {idle: '>= 1h'}}\n");
    CHECK(decide(any, reader).guard == Guard::OpenFiles);
}

TEST_CASE("the open-file fields test what a session holds open", "[evaluator][open-files]") {
    const Policy policy = policy_from(R"(version: 1
settings:
  protect: {open_files: writes}
rules:
  - name: stale-pst
    action: close
    allow_open_files: true
    match: {open_paths: '*.pst', oldest_open: '> 8h'}
  - name: idle-readers
    action: audit
    match: {idle: '>= 1h', write_opens: 0}
)");
    SessionRecord outlook = session("alice", 60, 1);
    outlook.write_opens = 1;
    outlook.open_paths = std::vector<std::string>{"Mail\\alice.PST"};
    outlook.oldest_open_seconds = 9 * 3600;
    CHECK(decide(policy, outlook).rule->name == "stale-pst");
    outlook.oldest_open_seconds = 3600;
    CHECK(decide(policy, outlook).kind == VerdictKind::Keep);

    SessionRecord reader = session("bob", 7200, 1);
    reader.write_opens = 0;
    reader.open_paths = std::vector<std::string>{"manual.pdf"};
    reader.oldest_open_seconds = 100;
    CHECK(decide(policy, reader).rule->name == "idle-readers");

    SessionRecord unknown = session("carol", 7200, 1);  // the opens were not listed
    CHECK(decide(policy, unknown).kind == VerdictKind::Keep);
}

TEST_CASE("guards can be switched off", "[evaluator][guards]") {
    const Policy policy = policy_from(R"(version: 1
settings:
  protect: {machine_accounts: false, non_default_instances: false, open_files: false}
rules:
  - name: idle
    action: close
    match: {idle: '>= 1h'}
)");
    SessionRecord s = session("HOST$", 7200, 2);
    s.smb_instance = SmbInstance::SR;
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
}

TEST_CASE("a field the source does not provide never matches, not even under not", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: unencrypted
    action: close
    allow_open_files: true
    match: {encrypted: false, age: '>= 1m'}
  - name: not-busy
    action: close
    match: {not: {idle: '< 10m'}}
  - name: old
    action: audit
    match: {age: '>= 1m'}
)");
    SessionRecord s = session("alice", 0);
    s.seconds_idle.reset();
    // Encryption unknown: the first close rule does not match; idle unknown: "not idle < 10m" is
    // unknown, so the second does not either; the audit rule does.
    const Verdict v = decide(policy, s);
    REQUIRE(v.rule->name == "old");
    s.encrypted = false;
    REQUIRE(decide(policy, s).rule->name == "unencrypted");
}

TEST_CASE("a keep rule that might match keeps: doubt never closes", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: busy-keep
    action: keep
    match: {not: {idle: '>= 10m'}}
    except:
      - user: 'ext-*'
  - name: service-accounts
    action: keep
    match: {user: {regex: 'svc_.*'}}
  - name: old
    action: close
    match: {age: '>= 1m'}
)");
    SessionRecord s = session("alice", 0);
    s.seconds_idle.reset();  // "not idle >= 10m" is unknown: alice might be busy
    Verdict v = decide(policy, s);
    REQUIRE(v.kind == VerdictKind::Keep);
    REQUIRE(v.rule->name == "busy-keep");
    s.client_user_name = "ext-bob";  // an exception that certainly holds takes him out of the keep
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
    // Not UTF-8: the regex cannot judge the name, so it might be a service account: kept.
    s = session("svc_\xff", 7200);
    v = decide(policy, s);
    REQUIRE(v.kind == VerdictKind::Keep);
    REQUIRE(v.rule->name == "service-accounts");
    // A long name is judged like any other: certainly no service account.
    s.client_user_name = std::string(100'000, 'x');
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
}

TEST_CASE("tests that read the same but accept different values are not shared", "[evaluator]") {
    // A list named like a CIDR block describes itself as the block does ("client in 10.1.0.0/16"):
    // the result of one must not be taken for the other's.
    const Policy policy = policy_from(R"(version: 1
lists:
  10.1.0.0/16: [10.9.0.0/16]
rules:
  - name: listed
    action: close
    match: {client: {in: 10.1.0.0/16}, idle: '>= 1h'}
  - name: block
    action: audit
    match: {client: 10.1.0.0/16, idle: '>= 1h'}
)");
    SessionRecord s = session("alice", 7200);
    s.client_computer_name = "10.1.2.3";
    REQUIRE(decide(policy, s).rule->name == "block");
    s.client_computer_name = "10.9.2.3";
    REQUIRE(decide(policy, s).rule->name == "listed");
}

TEST_CASE("an exception that might hold stops the rule", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: old
    action: close
    match: {age: '>= 1h'}
    except:
      - idle: '< 5m'
)");
    SessionRecord s = session("alice", 0);
    s.seconds_exists = 7200;
    s.seconds_idle.reset();
    REQUIRE(decide(policy, s).kind == VerdictKind::Keep);
    s.seconds_idle = 600;
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
}

TEST_CASE("hostile names cannot stall a regular expression", "[evaluator][regex]") {
    // Client and user names are chosen by clients. With a backtracking matcher, `(a+)+$` against
    // 26 a's and a '!' took seconds, and each further character doubled it; `(x|x)*` likewise.
    // RE2 takes time linear in the name: a 100,000-character name is decided like a short one.
    // (No time is asserted: ctest's timeout for this test catches a stall.)
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: nested
    action: close
    match: {user: {regex: '(a+)+$'}, idle: '>= 1h'}
  - name: others
    action: close
    match: {idle: '>= 1h'}
    except:
      - client: {regex: 'WS-(x|x)*'}
)");
    for (const std::size_t length : {26u, 29u, 40u, 100'000u}) {
        SessionRecord s = session(std::string(length, 'a') + "!", 7200);
        s.client_computer_name = "WS-" + std::string(length, 'x') + "y";
        REQUIRE(decide(policy, s).rule->name == "others");  // neither regex matches
        s.client_user_name = std::string(length, 'a');
        REQUIRE(decide(policy, s).rule->name == "nested");
        s.client_user_name = "bob";
        s.client_computer_name = "WS-" + std::string(length, 'x');
        REQUIRE(decide(policy, s).kind == VerdictKind::Keep);  // the exception holds
    }
}

TEST_CASE("all, any and not nest", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: nested
    action: close
    allow_open_files: true
    match:
      all:
        - any:
            - user: 'x*'
            - client: '[fe80::1]'
        - not: {smb_instance: [CSV, SBL]}
        - idle: 1h..2h
)");
    SessionRecord s = session("xavier", 3600);
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
    s.seconds_idle = 7201;
    REQUIRE(decide(policy, s).kind == VerdictKind::Keep);
    s.seconds_idle = 5000;
    s.client_user_name = "alice";
    REQUIRE(decide(policy, s).kind == VerdictKind::Keep);
    s.client_computer_name = "[FE80::1]";
    REQUIRE(decide(policy, s).kind == VerdictKind::Close);
}

TEST_CASE("every field can be tested", "[evaluator]") {
    SessionRecord s = session("CORP\\alice", 100, 0);
    s.session_id = 1669522539;
    s.client_computer_name = "[fd00:20::5]";
    s.scope_name = "FS-SCOPE";
    s.cluster_node_name = "NODE2";
    s.transport_name = "tcp";
    s.shares = std::vector<std::string>{"IPC$", "Finance"};
    s.encrypted = true;
    s.signing = false;
    const char* matches[] = {
        "session_id: 1669522539", "session_id: '> 1000'",   "user: 'corp\\*'", "user: {regex: 'corp\\\\a.*e'}",
        "client: 'fd00::/8'",     "client: '[FD00:20::5]'", "scope: fs-*",     "cluster_node: node2",
        "smb_instance: Default",  "dialect: '>= 3.0.2'",    "dialect: 3.11",   "transport: TCP",
        "open_files: 0",          "idle: '< 2m'",           "age: '== 160s'",  "shares: finance",
        "encrypted: true",        "signed: false",
    };
    for (const char* test : matches) {
        INFO(test);
        const Policy policy =
            policy_from(std::string("version: 1\nrules:\n  - name: r\n    action: audit\n    match: {") + test + "}\n");
        REQUIRE(decide(policy, s).kind == VerdictKind::Audit);
    }
    const char* misses[] = {
        "session_id: 5",   "user: bob",           "user: {regex: 'alice'}", "client: '10.0.0.0/8'",
        "scope: '*x'",     "cluster_node: node1", "smb_instance: SR",       "dialect: '< 3.0'",
        "transport: quic", "open_files: '> 0'",   "idle: '>= 2m'",          "age: '!= 160s'",
        "shares: 'hr*'",   "encrypted: false",    "signed: true",
    };
    for (const char* test : misses) {
        INFO(test);
        const Policy policy =
            policy_from(std::string("version: 1\nrules:\n  - name: r\n    action: audit\n    match: {") + test + "}\n");
        REQUIRE(decide(policy, s).kind == VerdictKind::Keep);
    }
}

TEST_CASE("when windows switch rules on and off", "[evaluator][when]") {
    const Policy policy = policy_from(R"(version: 1
rules:
  - name: nights
    action: close
    when: {days: [mon-fri], hours: '19:00-07:00'}
    match: {idle: '> 15m'}
  - name: disabled
    enabled: false
    action: close
    match: {idle: '> 1m'}
)");
    const SessionRecord s = session("alice", 1000);
    REQUIRE(decide(policy, s, {1, 20 * 60}).kind == VerdictKind::Close);  // Tuesday 20:00
    REQUIRE(decide(policy, s, {5, 2 * 60}).kind == VerdictKind::Close);   // Saturday 02:00: Friday night
    REQUIRE(decide(policy, s, {6, 2 * 60}).kind == VerdictKind::Keep);    // Sunday 02:00
    REQUIRE(decide(policy, s, {0, 2 * 60}).kind == VerdictKind::Keep);    // Monday 02:00: Sunday night
    REQUIRE(decide(policy, s, {1, 12 * 60}).kind == VerdictKind::Keep);   // Tuesday noon
}

TEST_CASE("the fraction limit refuses a mass close", "[evaluator][limits]") {
    const Policy policy = policy_from(R"(version: 1
settings:
  limits: {max_close_fraction: 0.5}
rules:
  - name: idle
    action: close
    match: {idle: '>= 1h'}
)");
    std::vector<SessionRecord> table = {session("a", 7200), session("b", 7200), session("c", 10), session("d", 10)};
    Simulation result = simulate(policy, table, kTuesdayNoon);
    REQUIRE(result.closes == 2);
    REQUIRE_FALSE(result.refused);  // exactly half is allowed
    table[2].seconds_idle = 7200;
    result = simulate(policy, table, kTuesdayNoon);
    REQUIRE(result.closes == 3);
    REQUIRE(result.refused);
    REQUIRE_FALSE(exceeds_close_fraction(policy.settings.limits, 0, 0));
}

namespace {

void collect_numbers(const Condition& condition, std::set<std::uint32_t>& numbers) {
    if (condition.test) numbers.insert(condition.test->id);
    for (const Condition& child : condition.children) collect_numbers(child, numbers);
}

void forget_numbers(Condition& condition) {
    if (condition.test) condition.test->id = FieldTest::kUnnumbered;
    for (Condition& child : condition.children) forget_numbers(child);
}

}  // namespace

TEST_CASE("a test several rules share is numbered once and decides as it would alone", "[evaluator]") {
    const Policy policy = policy_from(R"(version: 1
lists:
  staff: ['CORP\*']
rules:
  - name: legacy-staff
    action: audit
    match: {user: {in: staff}, idle: '>= 2h', dialect: '< 3.0'}
  - name: staff-idle
    action: close
    match: {user: {in: staff}, idle: '>= 2h'}
    except: [{client: '10.0.0.0/8'}]
  - name: anyone-idle
    action: close
    match: {any: [{idle: '>= 2h'}, {user: 'x'}]}
)");
    std::set<std::uint32_t> numbers;
    for (const Rule& rule : policy.rules) {
        collect_numbers(rule.match, numbers);
        for (const Condition& exception : rule.exceptions) collect_numbers(exception, numbers);
    }
    CHECK(numbers.size() == 5);  // in staff, idle >= 2h, dialect < 3.0, client in 10/8, user == x
    CHECK(policy.rules[0].match.children[0].test->id == policy.rules[1].match.children[0].test->id);
    CHECK(policy.rules[0].match.children[1].test->id == policy.rules[2].match.children[0].test->id);

    Policy unshared = policy;
    for (Rule& rule : unshared.rules) {
        forget_numbers(rule.match);
        for (Condition& exception : rule.exceptions) forget_numbers(exception);
    }
    for (const std::string user : {"CORP\\alice", "bob", "x"}) {
        for (const std::string client : {"10.1.2.3", "192.0.2.1"}) {
            for (const std::optional<std::uint32_t> idle :
                 {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{60},
                  std::optional<std::uint32_t>{9000}}) {
                SessionRecord s = session(user, 0);
                s.client_computer_name = client;
                s.seconds_idle = idle;
                s.dialect_revision = user == "bob" ? Dialect::Smb2_1 : Dialect::Smb3_1_1;
                const Verdict shared = decide(policy, s);
                const Verdict alone = decide(unshared, s);
                INFO(user << " " << client << " " << (idle ? std::to_string(*idle) : "unknown"));
                CHECK(shared.kind == alone.kind);
                CHECK((shared.rule ? shared.rule->name : "") == (alone.rule ? alone.rule->name : ""));
            }
        }
    }
}
