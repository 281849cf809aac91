// action: close_files and its `files:` selector: loading (with located errors), which opens it
// selects (unknown never selected), the evaluator's verdict, and simulate's count.
#include <catch2/catch.hpp>

#include "policy_test_support.h"
#include "rules/evaluator.h"
#include "rules/explain.h"
#include "rules/simulation.h"

using smbreaper::rules::Evaluator;
using smbreaper::rules::Guard;
using smbreaper::rules::LocalTime;
using smbreaper::rules::Policy;
using smbreaper::rules::RuleAction;
using smbreaper::rules::select_opens;
using smbreaper::rules::simulate;
using smbreaper::rules::Truth;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const LocalTime kNoon{1, 12 * 60};
const std::chrono::system_clock::time_point kNow = std::chrono::system_clock::time_point{} + 1'000'000h;

std::string windows_policy(const std::string& rules) {
    return "version: 1\nsettings:\n  source: wmi\nrules:\n" + rules;
}

Policy policy_from(const std::string& yaml) {
    auto result = load_test_policy(yaml);
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return std::move(*result.policy);
}

const std::string kStalePst =
    "  - name: stale-pst\n"
    "    action: close_files\n"
    "    match: {idle: '>= 1h'}\n"
    "    files: {path: '*.pst', open_for: '> 8h', writes: true}\n";

SessionRecord idle_session(std::uint64_t id, std::uint32_t idle) {
    SessionRecord s;
    s.session_id = id;
    s.client_user_name = "CORP\\alice";
    s.client_computer_name = "10.0.0.5";
    s.seconds_idle = idle;
    s.num_opens = 1;
    s.smb_instance = SmbInstance::Default;
    return s;
}

OpenFileRecord open_of(std::uint64_t session, const std::string& path, std::optional<std::uint32_t> access,
                       std::optional<std::chrono::hours> open_for) {
    OpenFileRecord open;
    open.file_id = std::to_string(session * 100 + path.size());
    open.session_id = session;
    open.share_relative_path = path;
    open.path = "D:\\Shares\\mail\\" + path;
    open.permissions = access;
    if (open_for) open.first_seen = kNow - *open_for;
    return open;
}

constexpr std::uint32_t kReadWrite = 0x0012019F;
constexpr std::uint32_t kReadOnly = 0x00120089;

}  // namespace

TEST_CASE("a close_files rule loads with its files selector and explains it", "[close_files]") {
    const Policy policy = policy_from(windows_policy(kStalePst));
    REQUIRE(policy.rules.size() == 1);
    CHECK(policy.rules[0].action == RuleAction::CloseFiles);
    REQUIRE(policy.rules[0].files.has_value());
    CHECK(smbreaper::rules::explain_rule(policy.rules[0]) ==
          "close_files stale-pst: idle >= 3600s files path like '*.pst' and open_for > 28800s and writes == true");
}

TEST_CASE("files: mistakes are located errors that say what to write", "[close_files]") {
    SECTION("close_files without files") {
        const auto result =
            load_test_policy(windows_policy("  - {name: r, action: close_files, match: {idle: '> 1h'}}\n"));
        const auto* error = find_diagnostic(result.diagnostics, "missing-key");
        REQUIRE(error != nullptr);
        CHECK(error->location.line == 5);
        CHECK_THAT(error->message, Contains("files: {path: '*.pst'"));
        CHECK_FALSE(result.policy.has_value());
    }
    SECTION("files with another action") {
        const auto result = load_test_policy(
            windows_policy("  - {name: r, action: close, match: {idle: '> 1h'}, files: {path: '*.pst'}}\n"));
        const auto* error = find_diagnostic(result.diagnostics, "files-without-close-files");
        REQUIRE(error != nullptr);
        CHECK_THAT(error->message, Contains("write action: close_files"));
        CHECK_FALSE(result.policy.has_value());
    }
    SECTION("an empty selector would close everything") {
        const auto result =
            load_test_policy(windows_policy("  - {name: r, action: close_files, match: {idle: '> 1h'}, files: {}}\n"));
        CHECK(find_diagnostic(result.diagnostics, "empty-files") != nullptr);
        CHECK_FALSE(result.policy.has_value());
    }
    SECTION("an unknown key, a bad duration, a non-boolean") {
        for (const std::string files : {"{name: '*.pst'}", "{open_for: '> 8 hours'}", "{writes: sometimes}"}) {
            const auto result = load_test_policy(
                windows_policy("  - {name: r, action: close_files, match: {idle: '> 1h'}, files: " + files + "}\n"));
            INFO(files << "\n" << result.diagnostics.render_text());
            CHECK_FALSE(result.policy.has_value());
            CHECK(result.diagnostics.items().front().location.line == 5);
        }
    }
    SECTION("a misspelt action suggests close_files") {
        const auto result = load_test_policy(
            windows_policy("  - {name: r, action: close_file, match: {idle: '> 1h'}, files: {path: '*.pst'}}\n"));
        const auto* error = find_diagnostic(result.diagnostics, "bad-value");
        REQUIRE(error != nullptr);
        CHECK_THAT(error->message, Contains("did you mean 'close_files'"));
        CHECK(find_diagnostic(result.diagnostics, "files-without-close-files") == nullptr);
    }
}

TEST_CASE("close_files is refused for the samba source, which cannot close one open", "[close_files]") {
    const auto result = load_test_policy("version: 1\nsettings:\n  source: samba\nrules:\n" + kStalePst);
    const auto* error = find_diagnostic(result.diagnostics, "close-files-unsupported");
    REQUIRE(error != nullptr);
    CHECK(error->location.line == 5);
    CHECK_THAT(error->message, Contains("Samba has no way to close one open file"));
    CHECK_THAT(error->message, Contains("action: close"));
    CHECK_FALSE(result.policy.has_value());
    // A snapshot can be simulated, and wmi is the source that closes opens.
    CHECK(load_test_policy("version: 1\nsettings:\n  source: snapshot:t.json\nrules:\n" + kStalePst).policy);
}

TEST_CASE("a close_files rule with no age in it is warned about", "[close_files]") {
    const auto result = load_test_policy(
        windows_policy("  - {name: r, action: close_files, match: {user: 'CORP\\\\*'}, files: {path: '*.pst'}}\n"));
    CHECK(result.policy.has_value());
    CHECK(find_diagnostic(result.diagnostics, "close-files-without-age") != nullptr);
}

TEST_CASE("the selector takes only opens it is certain of", "[close_files]") {
    const Policy policy = policy_from(windows_policy(kStalePst));
    const auto& selector = *policy.rules[0].files;
    CHECK(selector.selects(open_of(1, "bob\\mail.pst", kReadWrite, 9h), kNow) == Truth::True);
    CHECK(selector.selects(open_of(1, "bob\\MAIL.PST", kReadWrite, 9h), kNow) == Truth::True);
    CHECK(selector.selects(open_of(1, "bob\\mail.pst", kReadWrite, 7h), kNow) == Truth::False);
    CHECK(selector.selects(open_of(1, "bob\\notes.docx", kReadWrite, 9h), kNow) == Truth::False);
    CHECK(selector.selects(open_of(1, "bob\\mail.pst", kReadOnly, 9h), kNow) == Truth::False);
    // Unknown access, unknown time, unknown path: not certain, never selected.
    CHECK(selector.selects(open_of(1, "bob\\mail.pst", std::nullopt, 9h), kNow) == Truth::Unknown);
    CHECK(selector.selects(open_of(1, "bob\\mail.pst", kReadWrite, std::nullopt), kNow) == Truth::Unknown);
    OpenFileRecord no_path = open_of(1, "x", kReadWrite, 9h);
    no_path.share_relative_path.reset();
    no_path.path.reset();
    CHECK(selector.selects(no_path, kNow) == Truth::Unknown);
    // A test that fails decides even when another is unknown.
    CHECK(selector.selects(open_of(1, "bob\\notes.docx", std::nullopt, std::nullopt), kNow) == Truth::False);
}

TEST_CASE("writes: false never takes an open whose access is unknown", "[close_files]") {
    const Policy policy = policy_from(
        windows_policy("  - {name: r, action: close_files, match: {idle: '> 1h'}, files: {writes: false}}\n"));
    const auto& selector = *policy.rules[0].files;
    CHECK(selector.selects(open_of(1, "a.pdf", kReadOnly, std::nullopt), kNow) == Truth::True);
    CHECK(selector.selects(open_of(1, "a.pdf", std::nullopt, std::nullopt), kNow) == Truth::Unknown);
    CHECK(selector.selects(open_of(1, "a.pdf", kReadWrite, std::nullopt), kNow) == Truth::False);
}

TEST_CASE("select_opens takes the session's own opens only", "[close_files]") {
    const Policy policy = policy_from(windows_policy(kStalePst));
    std::vector<OpenFileRecord> opens{open_of(1, "a.pst", kReadWrite, 9h), open_of(2, "b.pst", kReadWrite, 9h),
                                      open_of(1, "c.pst", kReadWrite, 9h)};
    opens.push_back(open_of(1, "d.pst", kReadWrite, 9h));
    opens.back().session_id.reset();  // whose session is unknown: never taken
    const auto selected = select_opens(*policy.rules[0].files, idle_session(1, 7200), opens, kNow);
    REQUIRE(selected.size() == 2);
    CHECK(selected[0]->share_relative_path == "a.pst");
    CHECK(selected[1]->share_relative_path == "c.pst");
}

TEST_CASE("a close_files verdict keeps the session, ignores the open_files guard, not the others", "[close_files]") {
    const Policy policy = policy_from(windows_policy(kStalePst));
    const Evaluator evaluator(policy, kNoon);
    SessionRecord s = idle_session(1, 7200);
    s.write_opens = 1;
    auto verdict = evaluator.evaluate(s);
    CHECK(verdict.kind == VerdictKind::CloseFiles);
    CHECK(verdict.guard == Guard::None);

    s.client_user_name = "CORP\\FS02$";
    verdict = evaluator.evaluate(s);
    CHECK(verdict.kind == VerdictKind::Keep);
    CHECK(verdict.guard == Guard::MachineAccounts);

    s = idle_session(1, 60);  // not idle enough: the rule does not match
    CHECK(evaluator.evaluate(s).kind == VerdictKind::Keep);
}

TEST_CASE("simulate counts the opens close_files would close, and applies max_close_fraction to them",
          "[close_files]") {
    const Policy policy = policy_from(windows_policy(kStalePst));
    const std::vector<SessionRecord> sessions{idle_session(1, 7200), idle_session(2, 7200), idle_session(3, 10)};
    std::vector<OpenFileRecord> opens{open_of(1, "a.pst", kReadWrite, 9h), open_of(2, "b.docx", kReadWrite, 9h),
                                      open_of(3, "c.pst", kReadWrite, 9h), open_of(1, "e.docx", kReadWrite, 1h)};
    auto result = simulate(policy, sessions, kNoon, opens, kNow);
    CHECK(result.close_files == 2);
    CHECK(result.files == 1);
    REQUIRE(result.file_closes.size() == 1);
    CHECK(result.file_closes[0].session == 0);
    CHECK_FALSE(result.files_refused);

    opens.resize(1);  // the only open listed: closing it is more than half of them
    result = simulate(policy, sessions, kNoon, opens, kNow);
    CHECK(result.files == 1);
    CHECK(result.files_refused);

    result = simulate(policy, sessions, kNoon);  // open files unknown: nothing selected
    CHECK(result.close_files == 2);
    CHECK(result.files == 0);
    CHECK(result.file_closes.empty());
}
