#include "service/logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "service/system_log_sink.h"

namespace smbreaper {

void configure_logging(const LoggingOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (options.system_log) sinks.push_back(make_system_log_sink());
    std::string file_error;
    if (!options.file.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file.string(),
                                                                                   10 * 1024 * 1024, 5));
        } catch (const spdlog::spdlog_ex& error) {
            file_error = error.what();
        }
    }
    auto logger = std::make_shared<spdlog::logger>("smbreaper", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(options.level));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    if (!file_error.empty()) spdlog::error("cannot open the log file {}: {}", options.file.string(), file_error);
}

}  // namespace smbreaper
