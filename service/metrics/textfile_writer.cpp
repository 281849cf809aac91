#include "service/metrics/textfile_writer.h"

#include <spdlog/spdlog.h>

#include "service/metrics/metrics_textfile.h"

namespace smbreaper::metrics {

TextfileWriter::TextfileWriter(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)), thread_([this] { run(); }) {}

TextfileWriter::~TextfileWriter() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void TextfileWriter::request(std::filesystem::path file) {
    {
        const std::lock_guard lock(mutex_);
        wanted_ = std::move(file);
    }
    changed_.notify_all();
}

void TextfileWriter::wait_until_written() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !wanted_ && !writing_; });
}

void TextfileWriter::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [this] { return wanted_ || stopping_; });
        if (!wanted_) return;  // stopping, and nothing left to write
        const std::filesystem::path file = std::move(*wanted_);
        wanted_.reset();
        writing_ = true;
        lock.unlock();
        std::string error;
        try {
            write_metrics_textfile(file, *registry_);
        } catch (const std::exception& failure) {
            error = failure.what();
        }
        lock.lock();
        writing_ = false;
        if (error != last_error_) {
            if (!error.empty()) spdlog::error("metrics: {}; trying again after each cycle", error);
            if (error.empty()) spdlog::info("metrics: {} is written again", file.string());
            last_error_ = error;
        }
        changed_.notify_all();
    }
}

}  // namespace smbreaper::metrics
