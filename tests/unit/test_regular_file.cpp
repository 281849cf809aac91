// Reading the files smbreaper is given: special files are refused without blocking, sizes are
// bounded, and the caller's check sees what was opened. POSIX only (FIFOs and /dev).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "audit_test_support.h"
#include "common/regular_file.h"

using smbreaper::common::FileReadError;
using smbreaper::common::not_a_regular_file;
using smbreaper::common::OpenedFile;
using smbreaper::common::OpenedFileCheck;
using smbreaper::common::read_regular_file;

using namespace smbreaper;
using test::TempDir;

namespace {

FileReadError::Reason reason_of(const std::filesystem::path& path, std::uint64_t max_bytes = 1 << 20,
                                const OpenedFileCheck& vet = {}) {
    try {
        read_regular_file(path, "the test file", max_bytes, vet);
    } catch (const FileReadError& error) {
        return error.reason();
    }
    FAIL("read " << path << " although it should be refused");
    return FileReadError::Reason::Unreadable;
}

}  // namespace

TEST_CASE("a regular file is read whole", "[regular-file]") {
    TempDir dir;
    test::write_file(dir / "a.txt", std::string(100'000, 'x'));
    CHECK(read_regular_file(dir / "a.txt", "the test file", 100'000).size() == 100'000);
    CHECK(reason_of(dir / "a.txt", 99'999) == FileReadError::Reason::TooLarge);
    CHECK_FALSE(not_a_regular_file(dir / "a.txt", "the test file"));
    CHECK_FALSE(not_a_regular_file(dir / "missing", "the test file"));  // for its opener to create
}

TEST_CASE("a FIFO, a device and a folder are refused at once", "[regular-file]") {
    TempDir dir;
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    // Without a writer, a blocking open would wait forever: this returns at once.
    CHECK(reason_of(dir / "fifo") == FileReadError::Reason::NotRegular);
    CHECK(reason_of("/dev/zero") == FileReadError::Reason::NotRegular);  // would never end
    CHECK(reason_of(dir.path()) == FileReadError::Reason::NotRegular);
    CHECK(reason_of(dir / "missing") == FileReadError::Reason::Unreadable);
    try {
        read_regular_file(dir / "fifo", "the snapshot file", 1 << 20);
    } catch (const FileReadError& error) {
        CHECK(std::string(error.what()) ==
              "the snapshot file " + (dir / "fifo").string() + " is a FIFO, not a regular file");
    }
    CHECK(not_a_regular_file(dir / "fifo", "the audit trail"));
    CHECK(not_a_regular_file("/dev/zero", "the audit trail"));
}

TEST_CASE("the caller's check sees the opened file and may refuse it", "[regular-file]") {
    TempDir dir;
    test::write_file(dir / "a.txt", "abc");
    REQUIRE(::chmod((dir / "a.txt").c_str(), 0640) == 0);
    std::optional<OpenedFile> seen;
    read_regular_file(dir / "a.txt", "the test file", 10, [&](const OpenedFile& opened) {
        seen = opened;
        return std::nullopt;
    });
    REQUIRE(seen);
    CHECK(seen->size == 3);
    CHECK(seen->mode == 0640u);
    CHECK(seen->owner == ::geteuid());
    CHECK(reason_of(dir / "a.txt", 10, [](const OpenedFile&) { return std::string("no"); }) ==
          FileReadError::Reason::Refused);
}
