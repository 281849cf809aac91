#include "service/metrics/metrics_endpoint.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <vector>

namespace smbreaper::metrics {

namespace {

constexpr const char* kPath = "/metrics";

// Where civetweb's messages go while this thread starts an endpoint (the reason it could not
// listen, which its exception leaves out); null on every other thread and at every other time.
thread_local std::string* start_up_messages = nullptr;

// Answers every request that is not GET /metrics before civetweb looks for a handler.
int refuse_all_but_metrics(mg_connection* connection) {
    const mg_request_info* request = mg_get_request_info(connection);
    const char* path = request->local_uri ? request->local_uri : "";
    if (std::strcmp(path, kPath) != 0) {
        mg_send_http_error(connection, 404, "%s", "Not Found: this server serves only GET /metrics\n");
        return 404;
    }
    if (std::strcmp(request->request_method, "GET") != 0) {
        constexpr const char* kBody = "Method Not Allowed: /metrics is read with GET\n";
        mg_response_header_start(connection, 405);
        mg_response_header_add(connection, "Allow", "GET", -1);
        mg_response_header_add(connection, "Content-Type", "text/plain; charset=utf-8", -1);
        mg_response_header_add(connection, "Content-Length", std::to_string(std::strlen(kBody)).c_str(), -1);
        mg_response_header_send(connection);
        mg_write(connection, kBody, std::strlen(kBody));
        return 405;
    }
    return 0;
}

// Kept for the start-up error; later messages (a client's broken request) are only debug lines,
// so that a hostile client can neither grow the memory nor flood the log.
int log_civetweb_message(const mg_connection*, const char* message) {
    if (start_up_messages != nullptr) {
        *start_up_messages += start_up_messages->empty() ? message : std::string("; ") + message;
    } else {
        spdlog::debug("metrics endpoint: {}", message);
    }
    return 1;
}

}  // namespace

MetricsEndpoint::MetricsEndpoint(const std::string& listen, const std::shared_ptr<prometheus::Registry>& registry)
    : listen_(listen) {
    CivetCallbacks callbacks;
    callbacks.begin_request = refuse_all_but_metrics;
    callbacks.log_message = log_civetweb_message;
    // Two threads are plenty for a scraper or two; a request must arrive whole within 10 s, and a
    // request of more than 8 KiB of headers is refused.
    std::vector<std::string> options = {"listening_ports",    listen,  "num_threads",      "2",
                                        "request_timeout_ms", "10000", "max_request_size", "8192",
                                        "enable_keep_alive",  "no"};
    std::string messages;
    start_up_messages = &messages;
    try {
        exposer_ = std::make_unique<prometheus::Exposer>(std::move(options), &callbacks);
    } catch (const std::exception& error) {
        start_up_messages = nullptr;
        throw MetricsError("cannot serve /metrics on " + listen + ": " + (messages.empty() ? error.what() : messages));
    }
    start_up_messages = nullptr;
    exposer_->RegisterCollectable(registry, kPath);
}

MetricsEndpoint::~MetricsEndpoint() = default;

std::uint16_t MetricsEndpoint::port() const {
    const std::vector<int> ports = exposer_->GetListeningPorts();
    return ports.empty() ? 0 : static_cast<std::uint16_t>(ports.front());
}

}  // namespace smbreaper::metrics
