#include "service/daemon/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "common/display_text.h"
#include "service/daemon/system_log_sink.h"

namespace smbreaper::daemon {
using smbreaper::common::escape_for_display;

namespace {

// The message of a log line, escaped (common/display_text.h): every line is written through it,
// whatever names its arguments hold.
class EscapedMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
        const std::string escaped =
            escape_for_display(std::string_view(message.payload.data(), message.payload.size()));
        out.append(escaped.data(), escaped.data() + escaped.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessage>(); }
};

std::unique_ptr<spdlog::formatter> line_formatter() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %*");
    return formatter;
}

}  // namespace

void configure_logging(const LoggingOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (options.system_log) sinks.push_back(make_system_log_sink());
    std::string file_error;
    if (!options.file.empty()) {
        try {
            sinks.push_back(
                std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file.native(), 10 * 1024 * 1024, 5));
        } catch (const spdlog::spdlog_ex& error) {
            file_error = error.what();
        }
    }
    auto logger = std::make_shared<spdlog::logger>("smbreaper", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(options.level));
    logger->set_formatter(line_formatter());
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    if (!file_error.empty()) spdlog::error("cannot open the log file {}: {}", options.file.string(), file_error);
}

}  // namespace smbreaper::daemon
