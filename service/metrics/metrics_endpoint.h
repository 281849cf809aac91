#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace smbreaper::metrics {

class MetricsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Serves a registry's metrics at GET /metrics over HTTP, and nothing else (any other path is 404,
// any other method 405). prometheus-cpp's exposer on civetweb, with threads of its own: a scrape
// only reads the metrics, so a slow or hostile scraper never holds up a cycle, and a request that
// does not arrive within the timeout is dropped.
class MetricsEndpoint {
public:
    // `listen` is "IPv4:PORT" (settings.metrics.listen). Throws MetricsError when it cannot be
    // listened on (the port is taken, the address is not this machine's).
    MetricsEndpoint(const std::string& listen, const std::shared_ptr<prometheus::Registry>& registry);
    ~MetricsEndpoint();
    MetricsEndpoint(const MetricsEndpoint&) = delete;
    MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

    const std::string& listen() const { return listen_; }
    std::uint16_t port() const;  // the port listened on

private:
    std::string listen_;
    std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace smbreaper::metrics
