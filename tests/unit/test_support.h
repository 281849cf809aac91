#pragma once

// Helpers shared by the tests: the files under tests/data/ and the source tree, temporary folders,
// UTC times, and damaged copies of valid input.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "sessions/session_table.h"

namespace smbreaper::test {

inline std::filesystem::path test_data(std::string_view relative) {
    return std::filesystem::path(SMBREAPER_TEST_DATA) / std::filesystem::path(relative);
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("test cannot open " + path.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string read_test_data(std::string_view relative) { return read_file(test_data(relative)); }

// A file of the source tree, by its path from the top.
inline std::string source_path(const std::string& relative) {
    return std::string(SMBREAPER_SOURCE_DIR) + "/" + relative;
}

inline void write_file(const std::filesystem::path& path, std::string_view contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) throw std::runtime_error("test cannot write " + path.string());
}

// A fresh folder under the system's temporary folder, removed with everything in it at the end.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = std::filesystem::temp_directory_path() /
                ("smbreaper-test-" + std::to_string(ticks) + "-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
        // Whatever the umask: the service refuses a policy or trail in a folder others may write.
        std::filesystem::permissions(path_, std::filesystem::perms(0755));
    }
    ~TempDir() {
        std::error_code ignored;
        // A test may have made the folder read-only; take it back before removing it.
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add,
                                     ignored);
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / std::filesystem::path(name); }

private:
    std::filesystem::path path_;
};

// Polls `condition` every 50 ms until it holds or `limit` has passed; an exception (a file not
// there yet) counts as false. Returns the last answer.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto attempt = [&] {
        try {
            return condition();
        } catch (const std::exception&) {
            return false;
        }
    };
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (attempt()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return attempt();
}

inline std::chrono::system_clock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int micros = 0) {
    namespace chrono = std::chrono;
    return chrono::time_point_cast<chrono::system_clock::duration>(
        chrono::sys_days(chrono::year(y) / chrono::month(mo) / chrono::day(d)) + chrono::hours(h) +
        chrono::minutes(mi) + chrono::seconds(s) + chrono::microseconds(micros));
}

// Gives `parse(text, origin)` every prefix of `text` that ends before its last `closing` character
// (none is complete) and thousands of randomly damaged copies of it. Each must give records or a
// SourceError naming the origin: never another exception, a crash or undefined behaviour.
template <typename Parse>
void check_damaged_copies(const std::string& text, char closing, Parse parse) {
    const std::size_t last = text.find_last_of(closing);
    for (std::size_t length = 0; length <= last; ++length) {
        CHECK_THROWS_AS(parse(std::string_view(text).substr(0, length), "cut.json"), sessions::SourceError);
    }
    std::mt19937 random(20261123);
    const std::string alphabet = "{}[]\":,0123456789-.eE \\/ntrufalsx\x01\xff";
    for (int round = 0; round < 3000; ++round) {
        std::string damaged = text;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits; ++e) damaged[random() % damaged.size()] = alphabet[random() % alphabet.size()];
        try {
            parse(damaged, "damaged.json");
        } catch (const sessions::SourceError& error) {
            CHECK_THAT(error.what(), Catch::Matchers::StartsWith("damaged.json"));
        }
    }
}

}  // namespace smbreaper::test
