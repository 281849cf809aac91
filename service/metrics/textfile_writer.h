#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace smbreaper::metrics {

// Writes a registry's metrics to the textfile (write_metrics_textfile) on a thread of its own, as
// a scrape would read them: the cycle asks and goes on, and the file's creation and rename (which
// ext4 follows with a flush of the data) happen beside the next cycle rather than in it. Requests
// made while a write is running become one write of the newest metrics.
class TextfileWriter {
public:
    explicit TextfileWriter(std::shared_ptr<prometheus::Registry> registry);
    // Writes what was asked for and not yet written, then stops.
    ~TextfileWriter();
    TextfileWriter(const TextfileWriter&) = delete;
    TextfileWriter& operator=(const TextfileWriter&) = delete;

    void request(std::filesystem::path file);
    // Waits until every write asked for so far is done (for tests and for a stop).
    void wait_until_written();

private:
    void run();

    std::shared_ptr<prometheus::Registry> registry_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<std::filesystem::path> wanted_;  // the next write, when one is asked for
    bool writing_ = false;
    bool stopping_ = false;
    std::string last_error_;  // logged once until it changes
    std::thread thread_;      // last: started once the rest is ready
};

}  // namespace smbreaper::metrics
