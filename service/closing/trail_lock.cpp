#include "service/closing/trail_lock.h"

#include <boost/interprocess/sync/file_lock.hpp>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace smbreaper::closing {

std::filesystem::path TrailLock::lock_file_of(const std::filesystem::path& audit_db, Purpose purpose) {
    std::filesystem::path file = audit_db;
    file += purpose == Purpose::ManualClose ? ".close-lock" : ".blocks-lock";
    return file;
}

TrailLock::TrailLock(const std::filesystem::path& audit_db, Purpose purpose, std::chrono::milliseconds limit,
                     const std::function<void()>& on_wait) {
    const std::filesystem::path file = lock_file_of(audit_db, purpose);
    if (!std::ofstream(file, std::ios::app)) throw std::runtime_error("cannot create the lock file " + file.string());
    try {
        lock_ = std::make_unique<boost::interprocess::file_lock>(file.string().c_str());
        const auto deadline = std::chrono::steady_clock::now() + limit;
        bool waited = false;
        while (!lock_->try_lock()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                const std::string holder = purpose == Purpose::ManualClose
                                               ? "another smbreaper close is still closing sessions recorded in "
                                               : "another smbreaper is still changing the blocks recorded in ";
                throw std::runtime_error(holder + audit_db.string() + " (it holds " + file.string() +
                                         "); try again later");
            }
            if (!waited && on_wait) on_wait();
            waited = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    } catch (const boost::interprocess::interprocess_exception& error) {
        throw std::runtime_error("cannot lock " + file.string() + ": " + error.what());
    }
}

TrailLock::~TrailLock() {
    try {
        lock_->unlock();
    } catch (const boost::interprocess::interprocess_exception&) {
        // The lock goes with the process anyway.
    }
}

}  // namespace smbreaper::closing
