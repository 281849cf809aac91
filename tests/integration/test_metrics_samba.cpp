// The metrics end to end: `smbreaper run` against a real smbd with real smbclient sessions, scraped
// by a real Prometheus server on loopback that also loads the shipped alert rules. After the idle
// session is closed, Prometheus's query API has the closure, the sessions, the cycles and the
// audit trail; promtool accepts the exposition; the textfile is replaced whole after each cycle;
// every query of the shipped dashboard is valid PromQL with data behind the main ones; and
// scrapers that connect and say nothing do not hold up a single cycle.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "audit_test_support.h"
#include "reaper_scenario.h"

using namespace std::chrono_literals;
using namespace smbreaper;

namespace {

// A TCP port on loopback that nothing listens on now, below the kernel's ephemeral range (32768
// and up by default), so that no outgoing connection of this test (smbclient, promtool, the
// scrapes) takes it before the server it is for binds it; random, so that tests running side by
// side do not pick the same.
std::uint16_t free_port() {
    std::mt19937 random(std::random_device{}());
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = static_cast<std::uint16_t>(std::uniform_int_distribution<int>(21000, 31999)(random));
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool bound = ::bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
        ::close(s);
        if (bound) return port;
    }
    FAIL("no free port from 21000 to 31999");
    return 0;
}

int connect_to(std::uint16_t port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(s);
        return -1;
    }
    return s;
}

// Debian's prometheus on 127.0.0.1:port, scraping `target` every second and evaluating the
// shipped alert rules, its data and log in `dir`. Stopped when the object goes.
class PrometheusServer {
public:
    PrometheusServer(const std::filesystem::path& dir, std::uint16_t port, const std::string& target)
        : url_("http://127.0.0.1:" + std::to_string(port)) {
        const std::filesystem::path config = dir / "prometheus.yml";
        write_file(config,
                   "global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}\n"
                   "rule_files: ['" +
                       test::source_path("installer/metrics/smbreaper-alerts.yml") +
                       "']\n"
                       "scrape_configs:\n"
                       "  - job_name: smbreaper\n"
                       "    static_configs: [{targets: ['" +
                       target + "']}]\n");
        const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
        const std::string storage = "--storage.tsdb.path=" + (dir / "tsdb").string();
        const std::string config_flag = "--config.file=" + config.string();
        const std::string log = (dir / "prometheus.log").string();
        pid_ = fork();
        if (pid_ == 0) {
            std::freopen(log.c_str(), "w", stderr);
            std::freopen("/dev/null", "w", stdout);
            execlp("prometheus", "prometheus", config_flag.c_str(), storage.c_str(), listen.c_str(), "--log.level=warn",
                   nullptr);
            _exit(127);
        }
    }
    ~PrometheusServer() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    PrometheusServer(const PrometheusServer&) = delete;
    PrometheusServer& operator=(const PrometheusServer&) = delete;

    // The query API's result for an instant query (`promtool query instant`), or an error text.
    nlohmann::json query(const std::string& expression) const {
        const test::CommandResult result =
            test::run_program("promtool", {"query", "instant", "-o", "json", url_, expression});
        if (result.exit_code != 0) return {{"error", result.err + result.out}};
        return nlohmann::json::parse(result.out, nullptr, false);
    }
    // The value of the expression's only series, or nothing when it has none.
    std::optional<double> value(const std::string& expression) const {
        const nlohmann::json answer = query(expression);
        if (!answer.is_array() || answer.size() != 1) return std::nullopt;
        return std::stod(answer[0]["value"][1].get<std::string>());
    }

private:
    std::string url_;
    pid_t pid_ = -1;
};

// Reads the textfile over and over, in a thread, and keeps what it saw: every read must be a
// whole exposition (the family registered last there, the final newline too), and the file must be a
// new one (a new inode) after each replacement.
class TextfileWatcher {
public:
    explicit TextfileWatcher(std::filesystem::path file) : file_(std::move(file)) {
        thread_ = std::thread([this] {
            while (!stop_) {
                struct stat before {};
                if (::stat(file_.c_str(), &before) == 0) {
                    inodes_.insert(before.st_ino);
                    const std::string text = read_file(file_);
                    ++reads_;
                    if (text.empty() || text.back() != '\n' ||
                        text.find("\nsmbreaper_build_info{") == std::string::npos) {
                        partial_ = text;
                    }
                }
                std::this_thread::sleep_for(5ms);
            }
        });
    }
    ~TextfileWatcher() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::size_t reads() const { return reads_; }
    std::size_t files_seen() const { return inodes_.size(); }
    const std::string& partial() const { return partial_; }

private:
    std::filesystem::path file_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::size_t reads_ = 0;
    std::set<ino_t> inodes_;
    std::string partial_;
};

// The whole answer to GET path over a new connection.
std::string http_get(std::uint16_t port, const std::string& path) {
    const int s = connect_to(port);
    REQUIRE(s >= 0);
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(s, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t got; (got = ::recv(s, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, got);
    ::close(s);
    return answer;
}

// A dashboard query as Grafana would send it with every job and server chosen.
std::string dashboard_expression(std::string expression) {
    expression = std::regex_replace(expression, std::regex(R"(\$__rate_interval)"), "1m");
    return std::regex_replace(expression, std::regex(R"re(=~"\$(job|instance)")re"), "=~\".*\"");
}

}  // namespace

TEST_CASE("a real Prometheus scrapes the reaper and sees its closure, its cycles and its trail") {
    Scenario s("metrics");
    const auto started = std::chrono::system_clock::now();
    SmbClientProcess& idle = s.connect("alice");
    SmbClientProcess& busy = s.connect("bob");
    BusyClient working(busy);
    const std::uint16_t metrics_port = free_port();
    const std::filesystem::path textfile = s.dir / "textfile" / "smbreaper.prom";
    std::filesystem::create_directories(textfile.parent_path());
    const std::filesystem::path policy =
        s.policy("enforce", "confirm_polls: 2, max_close_fraction: 0.5",
                 "  - {name: idle-8s, action: close, match: {idle: '>= 8s'}}\n", "",
                 "  metrics: {listen: " + std::to_string(metrics_port) + ", textfile: " + textfile.string() + "}\n");

    Reaper reaper(policy, s.dir / "log");
    REQUIRE(eventually([&] { return std::filesystem::exists(textfile); }, 20s));
    TextfileWatcher watcher(textfile);
    // Scrapers that connect and never send a request: the endpoint's threads wait on them, the
    // cycles must not.
    std::vector<int> silent;
    for (int i = 0; i < 4; ++i) silent.push_back(connect_to(metrics_port));
    const std::uint16_t prometheus_port = free_port();
    const PrometheusServer prometheus(s.dir, prometheus_port, "127.0.0.1:" + std::to_string(metrics_port));

    REQUIRE(eventually([&] { return contains(s.outcomes(), "closed:alice"); }));
    REQUIRE(disconnected(idle));
    for (int socket : silent) ::close(socket);
    INFO(reaper.log());
    // The closure reaches Prometheus at a later scrape.
    REQUIRE(eventually(
        [&] { return prometheus.value(R"(smbreaper_closures_total{rule="idle-8s",outcome="closed"})") == 1.0; }, 30s));
    INFO(read_file(s.dir / "prometheus.log"));
    REQUIRE(prometheus.value(R"(up{job="smbreaper"})") == 1.0);
    REQUIRE(prometheus.value(R"(sum(smbreaper_sessions{source="samba"}))") >= 1.0);  // bob, at least
    REQUIRE(prometheus.value(R"(smbreaper_verdicts{rule="",verdict="keep"})") >= 1.0);
    REQUIRE(prometheus.value(R"(smbreaper_cycles_total{result="ok"})") >= 3.0);
    REQUIRE(prometheus.value(R"(smbreaper_cycles_total{result="source_error"})") == 0.0);
    REQUIRE(prometheus.value(R"(smbreaper_mode{mode="enforce"})") == 1.0);
    REQUIRE(prometheus.value(R"(smbreaper_audit_entries_appended_total)") >= 4.0);  // start, policy, pending, closed
    REQUIRE(prometheus.value(R"(smbreaper_audit_append_failures_total)") == 0.0);
    REQUIRE(prometheus.value(R"(smbreaper_audit_chain_head_sequence)") >= 4.0);
    REQUIRE(prometheus.value(R"(smbreaper_cycle_phase_seconds{phase="smbstatus"})").has_value());
    REQUIRE(prometheus.value(R"(smbreaper_cycle_duration_seconds_count)") >= 3.0);
    REQUIRE(prometheus.value(R"(count(smbreaper_policy_info) == 1)").has_value());
    REQUIRE(prometheus.value(R"(time() - smbreaper_last_successful_cycle_timestamp_seconds < 30)").has_value());
    // The shipped alert rules loaded, and none fires on a healthy reaper.
    const std::string rules = http_get(prometheus_port, "/api/v1/rules");
    REQUIRE(rules.find("\"SmbreaperAuditTrailRefusing\"") != std::string::npos);
    REQUIRE(rules.find("\"health\":\"err\"") == std::string::npos);
    REQUIRE(prometheus.query("ALERTS{alertstate=\"firing\"}").empty());

    // Every query of the shipped dashboard is valid PromQL; the main panels have data.
    const nlohmann::json dashboard =
        nlohmann::json::parse(read_file(test::source_path("installer/metrics/smbreaper-dashboard.json")));
    std::size_t with_data = 0;
    for (const nlohmann::json& panel : dashboard["panels"]) {
        for (const nlohmann::json& target : panel["targets"]) {
            const std::string expression = dashboard_expression(target["expr"].get<std::string>());
            const nlohmann::json answer = prometheus.query(expression);
            INFO(panel["title"] << ": " << expression << " -> " << answer.dump());
            REQUIRE(answer.is_array());
            if (!answer.empty()) ++with_data;
        }
    }
    REQUIRE(with_data >= 10);
    // The dashboard's panels drawn from this run's data (scripts/dashboard-picture): docs/img's
    // picture is made the same way.
    const auto unix_time = [](std::chrono::system_clock::time_point t) {
        return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
    };
    const test::CommandResult picture =
        test::run_program(test::source_path("scripts/dashboard-picture"),
                          {"http://127.0.0.1:" + std::to_string(prometheus_port), unix_time(started),
                           unix_time(std::chrono::system_clock::now()), (s.dir / "dashboard.svg").string()});
    INFO(picture.out << picture.err);
    REQUIRE(picture.exit_code == 0);
    const std::string svg = read_file(s.dir / "dashboard.svg");
    for (const nlohmann::json& panel : dashboard["panels"]) {
        REQUIRE(svg.find(">" + panel["title"].get<std::string>() + "<") != std::string::npos);
    }
    REQUIRE(svg.find("<polyline") != std::string::npos);

    // The same metrics, served and written: promtool accepts both.
    const std::string served = http_get(metrics_port, "/metrics");
    REQUIRE(served.starts_with("HTTP/1.1 200"));
    write_file(s.dir / "served.prom", served.substr(served.find("\r\n\r\n") + 4));
    for (const std::filesystem::path& file : {s.dir / "served.prom", textfile}) {
        const test::CommandResult check =
            test::run_program("sh", {"-c", "promtool check metrics < '" + file.string() + "'"});
        INFO(file << ": " << check.out << check.err);
        REQUIRE(check.exit_code == 0);
    }

    REQUIRE(reaper.stop() == 0);
    watcher.stop();
    INFO("textfile reads: " << watcher.reads() << ", files seen: " << watcher.files_seen());
    REQUIRE(watcher.partial().empty());
    REQUIRE(watcher.reads() > 100);
    REQUIRE(watcher.files_seen() >= 3);  // replaced (renamed over), never rewritten in place
    REQUIRE(verifies(s.dir / "audit.db"));
}
