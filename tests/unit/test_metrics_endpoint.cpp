// The /metrics endpoint over real loopback connections: what it serves, what it refuses, and that
// scrapers that hang do not hold up the service.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "service/daemon/service_metrics.h"
#include "service/metrics/metrics_endpoint.h"

using smbreaper::daemon::ServiceMetrics;
using smbreaper::metrics::MetricsEndpoint;
using smbreaper::metrics::MetricsError;

using namespace std::chrono_literals;

namespace {

// A TCP connection to 127.0.0.1:port, closed when the object goes.
class Connection {
public:
    explicit Connection(std::uint16_t port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
        REQUIRE(socket_ >= 0);
        timeval timeout{10, 0};
        ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    }
    ~Connection() { ::close(socket_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Sends `request` and reads until the server closes the connection.
    std::string exchange(const std::string& request) {
        REQUIRE(::send(socket_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
        std::string answer;
        char buffer[4096];
        for (ssize_t got; (got = ::recv(socket_, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, got);
        return answer;
    }

private:
    int socket_;
};

std::string request(std::uint16_t port, const std::string& method, const std::string& path) {
    return Connection(port).exchange(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

}  // namespace

TEST_CASE("GET /metrics serves the registry in the text format", "[metrics][endpoint]") {
    ServiceMetrics metrics;
    metrics.record_blocks(4);
    const MetricsEndpoint endpoint("127.0.0.1:0", metrics.registry());
    REQUIRE(endpoint.port() > 0);
    const std::string answer = request(endpoint.port(), "GET", "/metrics");
    INFO(answer);
    REQUIRE(answer.starts_with("HTTP/1.1 200"));
    REQUIRE(answer.find("Content-Type: text/plain") != std::string::npos);
    REQUIRE(answer.find("\nsmbreaper_blocks_in_force 4\n") != std::string::npos);
    REQUIRE(request(endpoint.port(), "GET", "/metrics?name[]=up").starts_with("HTTP/1.1 200"));
}

TEST_CASE("nothing but GET /metrics is served", "[metrics][endpoint]") {
    ServiceMetrics metrics;
    const MetricsEndpoint endpoint("127.0.0.1:0", metrics.registry());
    for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "PATCH"}) {
        const std::string answer = request(endpoint.port(), method, "/metrics");
        INFO(method << ": " << answer);
        REQUIRE(answer.starts_with("HTTP/1.1 405"));
        REQUIRE(answer.find("Allow: GET") != std::string::npos);
        REQUIRE(answer.find("smbreaper_") == std::string::npos);
    }
    // Methods civetweb does not know at all it refuses itself, before any handler.
    const std::string trace = request(endpoint.port(), "TRACE", "/metrics");
    REQUIRE(trace.starts_with("HTTP/1.1 400"));
    REQUIRE(trace.find("smbreaper_") == std::string::npos);
    for (const char* path : {"/", "/metrics/", "/metrics/x", "/../metrics/../etc/passwd", "/index.html", "/metricsx"}) {
        const std::string answer = request(endpoint.port(), "GET", path);
        INFO(path << ": " << answer);
        REQUIRE(answer.starts_with("HTTP/1.1 404"));
        REQUIRE(answer.find("smbreaper_") == std::string::npos);
    }
}

TEST_CASE("scrapers that connect and send nothing hold up neither the metrics nor other scrapers for long",
          "[metrics][endpoint]") {
    ServiceMetrics metrics;
    const MetricsEndpoint endpoint("127.0.0.1:0", metrics.registry());
    {
        // Both of the endpoint's threads wait on these; the service records as fast as ever.
        Connection silent_one(endpoint.port());
        Connection silent_two(endpoint.port());
        std::this_thread::sleep_for(200ms);
        for (int cycle = 0; cycle < 1000; ++cycle) metrics.record_blocks(cycle);
    }
    // Once they go, the next scrape is answered with what was recorded meanwhile.
    REQUIRE(request(endpoint.port(), "GET", "/metrics").find("\nsmbreaper_blocks_in_force 999\n") != std::string::npos);
}

TEST_CASE("an endpoint that cannot listen says where and why", "[metrics][endpoint]") {
    ServiceMetrics metrics;
    const MetricsEndpoint first("127.0.0.1:0", metrics.registry());
    const std::string taken = "127.0.0.1:" + std::to_string(first.port());
    REQUIRE_THROWS_WITH(MetricsEndpoint(taken, metrics.registry()),
                        Catch::Matchers::Contains("cannot serve /metrics on " + taken) &&
                            Catch::Matchers::Contains("Address already in use"));
    // 192.0.2.1 (TEST-NET-1) is no address of this machine.
    REQUIRE_THROWS_AS(MetricsEndpoint("192.0.2.1:9469", metrics.registry()), MetricsError);
}
