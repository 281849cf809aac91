#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sessions/samba/idle_tracker.h"

using smbreaper::sessions::ConnectionKey;
using smbreaper::sessions::ConnectionSample;
using smbreaper::sessions::IdleTracker;
using smbreaper::sessions::IpEndpoint;
using smbreaper::sessions::is_keepalive_traffic;
using smbreaper::sessions::TcpReceiveCounters;

using namespace smbreaper;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using TimePoint = IdleTracker::Clock::time_point;

TimePoint at(milliseconds elapsed) { return TimePoint(elapsed); }

ConnectionKey key_for(std::uint16_t peer_port) {
    const std::uint8_t loopback[4] = {127, 0, 0, 1};
    return {1000u + peer_port, IpEndpoint::from_ipv4(loopback, 44500), IpEndpoint::from_ipv4(loopback, peer_port)};
}

ConnectionSample sample(std::uint16_t peer_port, std::uint64_t bytes, std::uint32_t segments, milliseconds since_data) {
    return {key_for(peer_port), {bytes, segments, since_data}};
}

// One poll of tests/data/samba/smbclient-idle-and-busy.txt: when, and each connection's counters.
struct RecordedPoll {
    milliseconds elapsed{0};
    std::vector<ConnectionSample> samples;
};

constexpr std::uint16_t idle_client_port = 59360;
constexpr std::uint16_t busy_client_port = 59348;

std::vector<RecordedPoll> recorded_polls() {
    std::ifstream file(std::string(SMBREAPER_TEST_DATA) + "/samba/smbclient-idle-and-busy.txt");
    REQUIRE(file);
    std::map<long, RecordedPoll> polls;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        long elapsed = 0;
        std::string peer;
        std::uint64_t bytes = 0;
        std::uint32_t segments = 0;
        long since_data = 0;
        REQUIRE(fields >> elapsed >> peer >> bytes >> segments >> since_data);
        const auto port = static_cast<std::uint16_t>(std::stoi(peer.substr(peer.rfind(':') + 1)));
        RecordedPoll& poll = polls[elapsed];
        poll.elapsed = milliseconds(elapsed);
        poll.samples.push_back(sample(port, bytes, segments, milliseconds(since_data)));
    }
    std::vector<RecordedPoll> ordered;
    for (auto& [elapsed, poll] : polls) ordered.push_back(std::move(poll));
    REQUIRE(ordered.size() == 42);
    return ordered;
}

const TcpReceiveCounters& counters_of(const RecordedPoll& poll, std::uint16_t port) {
    for (const ConnectionSample& s : poll.samples)
        if (s.key == key_for(port)) return s.counters;
    FAIL("no sample for port " << port);
    throw;
}

// Feeds every `stride`-th recorded poll; returns each connection's idle time after each poll.
std::map<std::uint16_t, std::vector<milliseconds>> replay(std::size_t stride) {
    const std::vector<RecordedPoll> polls = recorded_polls();
    IdleTracker tracker;
    std::map<std::uint16_t, std::vector<milliseconds>> idle;
    for (std::size_t i = 0; i < polls.size(); i += stride) {
        tracker.update(polls[i].samples, at(polls[i].elapsed));
        for (const std::uint16_t port : {idle_client_port, busy_client_port}) {
            const std::optional<milliseconds> value = tracker.idle_time(key_for(port));
            REQUIRE(value);
            idle[port].push_back(*value);
        }
    }
    return idle;
}

}  // namespace

TEST_CASE("only whole echoes, each in a segment of its own, are keepalive traffic") {
    CHECK(is_keepalive_traffic(0, 0));
    CHECK(is_keepalive_traffic(72, 1));  // one smbclient ECHO
    CHECK(is_keepalive_traffic(144, 2));
    CHECK(is_keepalive_traffic(72 * 360, 360));  // a 30-minute poll of echoes every 5 s
    CHECK(is_keepalive_traffic(0, 1));           // a TCP keepalive probe: one old byte
    CHECK(is_keepalive_traffic(72, 2));          // an echo split in two segments

    CHECK_FALSE(is_keepalive_traffic(747, 7));  // smbclient's ls, measured
    CHECK_FALSE(is_keepalive_traffic(747 + 72, 8));
    CHECK_FALSE(is_keepalive_traffic(144, 1));  // one 144-byte request
    CHECK_FALSE(is_keepalive_traffic(216, 2));
    CHECK_FALSE(is_keepalive_traffic(71, 1));
    CHECK_FALSE(is_keepalive_traffic(73, 1));
    CHECK_FALSE(is_keepalive_traffic(72 * 3, 2));
}

TEST_CASE("recorded smbclient traffic polled every second: echoes keep idle growing, ls resets it") {
    const std::vector<RecordedPoll> polls = recorded_polls();
    const auto idle = replay(1);

    // The silent client: first seen 276 ms after its last data, then only echoes.
    const std::vector<milliseconds>& silent = idle.at(idle_client_port);
    CHECK(silent.front() == 276ms);
    for (std::size_t i = 1; i < silent.size(); ++i)
        CHECK(silent[i] - silent[i - 1] == polls[i].elapsed - polls[i - 1].elapsed);
    CHECK(silent.back() == polls.back().elapsed - polls.front().elapsed + 276ms);

    // The client running ls every 8 s: never idle longer than that, and each ls dates it exactly
    // (the ls was the last thing it sent before the poll that saw it).
    const std::vector<milliseconds>& busy = idle.at(busy_client_port);
    std::size_t resets = 0;
    for (std::size_t i = 0; i < busy.size(); ++i) {
        CHECK(busy[i] < 8500ms);
        const bool saw_ls = i > 0 && counters_of(polls[i], busy_client_port).bytes_received -
                                             counters_of(polls[i - 1], busy_client_port).bytes_received ==
                                         747;
        if (saw_ls) {
            CHECK(busy[i] == counters_of(polls[i], busy_client_port).since_last_data_received);
            ++resets;
        }
    }
    CHECK(resets == 5);
}

TEST_CASE("recorded smbclient traffic polled every ten seconds gives the same picture") {
    const std::vector<RecordedPoll> polls = recorded_polls();
    const auto idle = replay(10);
    CHECK(idle.at(idle_client_port).back() == polls[40].elapsed - polls[0].elapsed + 276ms);
    for (const milliseconds busy : idle.at(busy_client_port)) CHECK(busy < 5000ms);
}

TEST_CASE("a request followed by an echo in one poll is dated at the echo: idle is understated, never overstated") {
    IdleTracker tracker;
    tracker.update({sample(50000, 1000, 10, 0ms)}, at(0s));
    // At 4 s a 500-byte request, at 9 s an echo, the poll at 10 s: truly idle for 6 s.
    tracker.update({sample(50000, 1000 + 500 + 72, 12, 1s)}, at(10s));
    CHECK(tracker.idle_time(key_for(50000)) == 1000ms);
    // Only echoes afterwards: it grows from there.
    tracker.update({sample(50000, 1000 + 500 + 72 * 3, 14, 2s)}, at(20s));
    CHECK(tracker.idle_time(key_for(50000)) == 11000ms);
}

TEST_CASE("a connection missing from a poll is forgotten and starts over when seen again") {
    IdleTracker tracker;
    tracker.update({sample(50000, 1000, 10, 3s), sample(50001, 1000, 10, 1s)}, at(0s));
    tracker.update({sample(50000, 1072, 11, 2s), sample(50001, 1072, 11, 2s)}, at(10s));
    CHECK(tracker.idle_time(key_for(50000)) == 13s);

    tracker.update({sample(50001, 1144, 12, 2s)}, at(20s));
    CHECK_FALSE(tracker.idle_time(key_for(50000)));
    CHECK(tracker.idle_time(key_for(50001)) == 21s);

    tracker.update({sample(50000, 1144, 12, 2s), sample(50001, 1216, 13, 3s)}, at(30s));
    CHECK(tracker.idle_time(key_for(50000)) == 2s);
    CHECK(tracker.idle_time(key_for(50001)) == 31s);
}

TEST_CASE("counters that go backwards are a new connection: first sight again") {
    IdleTracker tracker;
    tracker.update({sample(50000, 5000, 50, 1s)}, at(0s));
    tracker.update({sample(50000, 5072, 51, 1s)}, at(10s));
    CHECK(tracker.idle_time(key_for(50000)) == 11s);
    tracker.update({sample(50000, 800, 5, 4s)}, at(20s));
    CHECK(tracker.idle_time(key_for(50000)) == 4s);
}

TEST_CASE("the 32-bit segment counter may wrap between polls") {
    IdleTracker tracker;
    tracker.update({sample(50000, 1ull << 40, 0xFFFFFFFFu, 0s)}, at(0s));
    tracker.update({sample(50000, (1ull << 40) + 144, 1, 3s)}, at(10s));
    CHECK(tracker.idle_time(key_for(50000)) == 10s);
}
