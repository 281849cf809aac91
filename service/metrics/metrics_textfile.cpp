#include "service/metrics/metrics_textfile.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "common/atomic_file.h"

namespace smbreaper::metrics {
using smbreaper::common::replace_file_atomically;
using smbreaper::common::ReplaceOptions;

std::string exposition_text(const prometheus::Registry& registry) {
    return prometheus::TextSerializer().Serialize(registry.Collect());
}

void write_metrics_textfile(const std::filesystem::path& file, const prometheus::Registry& registry) {
    // Readable by all: the exporter that collects it runs as a user of its own, and the service's
    // umask (0077 in the systemd unit) would leave a new file to root alone. Not waited onto the
    // disk: the next cycle rewrites it, and after a crash it is stale anyway.
    using std::filesystem::perms;
    ReplaceOptions options;
    options.permissions = perms::owner_read | perms::owner_write | perms::group_read | perms::others_read;
    options.durable = false;
    replace_file_atomically(file, exposition_text(registry), options);
}

}  // namespace smbreaper::metrics
