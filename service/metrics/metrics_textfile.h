#pragma once

#include <filesystem>
#include <string>

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace smbreaper::metrics {

// The registry's metrics in the Prometheus text exposition format.
std::string exposition_text(const prometheus::Registry& registry);

// Writes the registry's metrics to `file` (settings.metrics.textfile) for the textfile collector
// of node_exporter or windows_exporter: atomically, so a collector reading at any moment sees the
// previous cycle's file or this one's, never a part; readable by everyone (mode 0644). Throws
// std::runtime_error naming the file.
void write_metrics_textfile(const std::filesystem::path& file, const prometheus::Registry& registry);

}  // namespace smbreaper::metrics
