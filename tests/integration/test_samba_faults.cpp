// The Samba source under faults, against a real smbd with real clients: smbstatus missing,
// failing, printing truncated or hostile JSON, or lying about which process serves a session;
// smbcontrol failing or hanging; the server stopping in the middle of a cycle. Fake programs (shell
// scripts, and a Python filter over the real smbstatus' output) stand in for Samba's, named in
// settings.samba. In every case no session is closed wrongly and the trail verifies.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>

#include "reaper_scenario.h"

using namespace std::chrono_literals;

namespace {

constexpr int kTableUnreadable = 3;  // run --once: the session table could not be read

const std::string kCloseAll = "  - {name: all, action: close, match: {idle: '>= 0s'}}\n";
const std::string kLimits = "confirm_polls: 1, max_close_fraction: 1.0";

// Rewrites the real smbstatus' JSON as the first argument says, and prints it.
const std::string kMangler = R"(import json, subprocess, sys
mode = sys.argv[1]
text = subprocess.run(["/usr/bin/smbstatus"] + sys.argv[2:], capture_output=True, text=True, check=True).stdout
doc = json.loads(text)
sessions = list(doc["sessions"].values())
if mode == "truncated":
    text = text[: len(text) // 2]
elif mode == "huge-number":
    text = text.replace('"session_id": "%s"' % sessions[0]["session_id"], '"session_id": 1e400', 1)
elif mode == "too-big-for-64-bits":
    text = text.replace('"pid": "%s"' % sessions[0]["server_id"]["pid"], '"pid": "184467440737095516160"', 1)
elif mode == "wrong-type":
    sessions[0]["username"] = {"name": sessions[0]["username"]}
    text = json.dumps(doc)
elif mode == "duplicate-key":
    text = '{"sessions": {}, ' + text.lstrip()[1:]
elif mode == "deep-nesting":
    text = text.rstrip()[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}"
elif mode == "swapped-pids":
    sessions[0]["server_id"], sessions[1]["server_id"] = sessions[1]["server_id"], sessions[0]["server_id"]
    text = json.dumps(doc)
sys.stdout.write(text)
)";

// `smbreaper run --once` against the instance with a fake program in place of one of Samba's.
struct Faulty {
    Scenario s;
    explicit Faulty(const std::string& name) : s(name) {}

    std::filesystem::path script(const std::string& name, const std::string& body) {
        const auto path = s.dir / name;
        write_script(path, "#!/bin/sh\n" + body);
        return path;
    }
    std::filesystem::path mangled_smbstatus(const std::string& mode) {
        write_file(s.dir / "mangle.py", kMangler);
        return script("smbstatus-" + mode,
                      "exec /usr/bin/python3 " + (s.dir / "mangle.py").string() + " " + mode + " \"$@\"\n");
    }
    // One cycle with `program: path` in settings.samba; returns the log. `run --once` exits 3 when
    // the cycle could not read the table, so that a timer or a monitoring check sees it.
    std::string run_once(const std::string& program, const std::filesystem::path& path,
                         const std::string& rules = kCloseAll, int expected_exit = 0) {
        Reaper once(s.policy("enforce", kLimits, rules, ", " + program + ": '" + path.string() + "'"), s.dir / "log",
                    true);
        REQUIRE(once.wait() == expected_exit);
        return read_file(s.dir / "log");
    }
    std::string source_errors() const {
        std::string errors;
        for (const auto& e : s.entries()) {
            if (e.kind == smbreaper::storage::EntryKind::SourceError) errors += e.error + "\n";
        }
        return errors;
    }
    // Nothing was closed: no closed outcome, and every client still works.
    void require_nothing_closed() {
        for (const std::string& outcome : s.outcomes()) REQUIRE(outcome.rfind("closed:", 0) != 0);
        for (auto& [user, client] : s.clients) {
            INFO(user);
            REQUIRE(client->send("ls"));
            REQUIRE_FALSE(client->has_exited());
        }
        REQUIRE(verifies(s.dir / "audit.db"));
    }
};

}  // namespace

TEST_CASE("smbstatus missing or failing: a source error, nothing closed") {
    Faulty f("smbstatus-missing");
    f.s.connect("alice");
    f.run_once("smbstatus", f.s.dir / "no-such-smbstatus", kCloseAll, kTableUnreadable);
    REQUIRE(f.source_errors().find("No such file or directory") != std::string::npos);
    f.run_once("smbstatus", f.script("failing-smbstatus", "echo '{\"timestamp\": \"now\"}'\necho denied >&2\nexit 1\n"),
               kCloseAll, kTableUnreadable);
    REQUIRE(f.source_errors().find("exited with status 1: denied") != std::string::npos);
    f.require_nothing_closed();
}

TEST_CASE("smbstatus printing truncated or hostile JSON: a source error naming the problem, nothing closed") {
    const std::map<std::string, std::string> expected = {
        {"truncated", "syntax error"},
        {"huge-number", "number overflow"},
        {"too-big-for-64-bits", "server_id.pid: expected a whole number"},
        {"wrong-type", "username: expected a string, got an object"},
        {"duplicate-key", "the key appears twice in one object"},
        {"deep-nesting", "nested deeper than 64 levels"},
    };
    Faulty f("smbstatus-hostile");
    f.s.connect("alice");
    f.s.connect("bob");
    for (const auto& [mode, problem] : expected) {
        INFO(mode);
        const std::string before = f.source_errors();
        f.run_once("smbstatus", f.mangled_smbstatus(mode), kCloseAll, kTableUnreadable);
        const std::string errors = f.source_errors().substr(before.size());
        INFO(errors);
        REQUIRE(errors.find(problem) != std::string::npos);
    }
    f.require_nothing_closed();
}

TEST_CASE("smbstatus lying about which process serves a session: the socket check refuses the close") {
    Faulty f("smbstatus-lies");
    f.s.connect("alice");
    f.s.connect("bob");
    // Each record now names the other client's smbd, whose sockets are not this peer's: idle is
    // unknown (no connection found), so the rule must select without it.
    f.run_once("smbstatus", f.mangled_smbstatus("swapped-pids"),
               "  - {name: by-name, action: close, match: {user: [alice, bob]}}\n");
    const auto outcomes = f.s.outcomes();
    REQUIRE(outcomes.size() == 2);
    REQUIRE(contains(outcomes, "vanished:alice"));
    REQUIRE(contains(outcomes, "vanished:bob"));
    f.require_nothing_closed();
}

TEST_CASE("smbcontrol failing or hanging: the close is recorded as failed, the session stays") {
    Faulty f("smbcontrol-fails");
    SmbClientProcess& alice = f.s.connect("alice");
    f.run_once("smbcontrol", f.script("failing-smbcontrol", "echo 'cannot send' >&2\nexit 1\n"));
    REQUIRE(f.s.outcomes() == std::vector<std::string>{"failed:alice"});
    f.run_once("smbcontrol", f.script("hanging-smbcontrol", "sleep 120\n"));
    REQUIRE(f.s.outcomes() == std::vector<std::string>{"failed:alice", "failed:alice"});
    const auto entries = f.s.entries();
    REQUIRE(entries.back().kind == smbreaper::storage::EntryKind::Stop);
    REQUIRE(f.s.entries().rbegin()[1].error.find("timed out after") != std::string::npos);
    REQUIRE(alice.send("ls"));
    f.require_nothing_closed();
}

TEST_CASE("smbcontrol that delivers the shutdown and then hangs: failed with the outcome unknown, never vanished") {
    Faulty f("smbcontrol-delivers-then-hangs");
    f.s.connect("alice");
    f.run_once("smbcontrol", f.script("late-smbcontrol", "/usr/bin/smbcontrol \"$@\"\nsleep 120\n"));
    REQUIRE(f.s.outcomes() == std::vector<std::string>{"failed:alice"});
    const auto entries = f.s.entries();
    REQUIRE(entries.rbegin()[1].error.find("outcome unknown") != std::string::npos);
    REQUIRE(verifies(f.s.dir / "audit.db"));
}

TEST_CASE("the server stopping in the middle of a cycle: no session is closed or taken for gone") {
    Faulty f("server-stops");
    f.s.connect("alice");
    // The second smbstatus of the cycle (the re-check before closing) first stops the server.
    const std::string pid_file = f.s.samba.conf().substr(0, f.s.samba.conf().rfind('/')) + "/run/smbd.pid";
    const auto counter = f.s.dir / "runs";
    const auto stopping =
        f.script("stopping-smbstatus", "echo x >> " + counter.string() +
                                           "\n"
                                           "if [ \"$(wc -l < " +
                                           counter.string() +
                                           ")\" -eq 2 ]; then\n"
                                           "  pid=$(cat " +
                                           pid_file +
                                           ")\n"
                                           "  kill \"$pid\"\n"
                                           "  while kill -0 \"$pid\" 2>/dev/null; do sleep 0.05; done\n"
                                           "fi\n"
                                           "exec /usr/bin/smbstatus \"$@\"\n");
    f.run_once("smbstatus", stopping);
    const auto outcomes = f.s.outcomes();
    REQUIRE(outcomes == std::vector<std::string>{"failed:alice"});
    const auto entries = f.s.entries();
    REQUIRE(entries.rbegin()[1].error.find("could not re-read the session table") != std::string::npos);
    REQUIRE(entries.rbegin()[1].error.find("smbd is not running") != std::string::npos);
    REQUIRE(verifies(f.s.dir / "audit.db"));
}

TEST_CASE("Samba's programs run without a shell, with a clean environment and exactly their arguments") {
    Faulty f("clean-environment");
    SmbClientProcess& alice = f.s.connect("alice");
    // A configuration path a shell would take apart and run.
    const auto odd_folder = f.s.dir / "odd $(touch PWNED); `touch PWNED` name";
    std::filesystem::create_directory(odd_folder);
    const auto odd_conf = odd_folder / "smb.conf";
    std::filesystem::create_symlink(f.s.samba.conf(), odd_conf);
    const auto record = [&](const std::string& name, const std::string& real) {
        return f.script(name, "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " +
                                  (f.s.dir / (name + ".argv")).string() + "\n/usr/bin/env > " +
                                  (f.s.dir / (name + ".env")).string() + "\nexec " + real + " \"$@\"\n");
    };
    const auto smbstatus = record("recording-smbstatus", "/usr/bin/smbstatus");
    const auto smbcontrol = record("recording-smbcontrol", "/usr/bin/smbcontrol");
    write_file(f.s.dir / "policy.yaml",
               "version: 1\nsettings:\n  mode: enforce\n  source: samba\n  samba:\n    smb_conf: '" +
                   odd_conf.string() + "'\n    smbstatus: '" + smbstatus.string() + "'\n    smbcontrol: '" +
                   smbcontrol.string() + "'\n    timeout: 3s\n  audit_db: audit.db\n  limits: {" + kLimits +
                   "}\nrules:\n" + kCloseAll);
    ::setenv("SMBREAPER_TEST_SECRET", "must-not-leak", 1);
    Reaper once(f.s.dir / "policy.yaml", f.s.dir / "log", true);
    REQUIRE(once.wait() == 0);
    ::unsetenv("SMBREAPER_TEST_SECRET");
    INFO(read_file(f.s.dir / "log"));
    REQUIRE(f.s.outcomes() == std::vector<std::string>{"closed:alice"});
    REQUIRE(eventually(
        [&] {  // the client sees its connection end at its next request
            return !alice.send("ls") || alice.has_exited() ||
                   alice.output().find("NT_STATUS_CONNECTION_DISCONNECTED") != std::string::npos;
        },
        20s));

    REQUIRE(read_file(f.s.dir / "recording-smbstatus.argv") == "--json\n-s\n" + odd_conf.string() + "\n");
    const std::string control_argv = read_file(f.s.dir / "recording-smbcontrol.argv");
    REQUIRE(control_argv.rfind("-s\n" + odd_conf.string() + "\n", 0) == 0);
    REQUIRE(control_argv.find("\nshutdown\n") != std::string::npos);
    for (const std::string name : {"recording-smbstatus", "recording-smbcontrol"}) {
        // /bin/sh adds PWD (and OLDPWD) to what it was given: everything else came from smbreaper.
        std::istringstream lines(read_file(f.s.dir / (name + ".env")));
        std::vector<std::string> variables;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("PWD=", 0) != 0 && line.rfind("OLDPWD=", 0) != 0) variables.push_back(line);
        }
        std::sort(variables.begin(), variables.end());
        REQUIRE(variables == std::vector<std::string>{"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"});
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(f.s.dir)) {
        REQUIRE(entry.path().filename() != "PWNED");
    }
    REQUIRE_FALSE(std::filesystem::exists("PWNED"));
    REQUIRE(verifies(f.s.dir / "audit.db"));
}
