#pragma once

// Disks that fail on purpose, for the fault tests: a small tmpfs that fills up, and an ext4 image
// the kernel turns read-only under open files. Both need root; a test that uses them fails,
// saying so, when not run as root.

#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "audit_test_support.h"

namespace smbreaper::test {

// A tmpfs of its own: a disk that fills up.
class SmallDisk {
public:
    explicit SmallDisk(const std::string& size) : path_(dir_ / "disk") {
        if (::geteuid() != 0) FAIL("mounting a small file system needs root: run the tests as root");
        std::filesystem::create_directory(path_);
        REQUIRE(::mount("smbreaper-test", path_.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0755").c_str()) == 0);
    }
    ~SmallDisk() { ::umount2(path_.c_str(), MNT_DETACH); }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

    // Writes a filler file until the disk refuses another byte.
    void fill() {
        std::ofstream filler(path_ / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), static_cast<std::streamsize>(block.size())) && filler.flush()) {}
    }
    void unfill() { std::filesystem::remove(path_ / "filler"); }
    // Only while no file on it is open for writing: the kernel refuses otherwise (see FailingDisk).
    void set_read_only(bool read_only) {
        unsigned long flags = MS_REMOUNT;
        if (read_only) flags |= MS_RDONLY;
        REQUIRE(::mount("smbreaper-test", path_.c_str(), "tmpfs", flags, nullptr) == 0);
    }

private:
    TempDir dir_;
    std::filesystem::path path_;
};

// An ext4 file system in an image file, mounted with errors=remount-ro: fail() makes the kernel
// turn it read-only under the files open on it, as it does after a disk error. (A plain remount
// refuses while files are open for writing.)
class FailingDisk {
public:
    FailingDisk() : image_(dir_ / "disk.img"), path_(dir_ / "disk") {
        if (::geteuid() != 0) FAIL("mounting a disk image needs root: run the tests as root");
        std::filesystem::create_directory(path_);
        write_file(image_, "");
        std::filesystem::resize_file(image_, 16 * 1024 * 1024);
        REQUIRE(run_program("mkfs.ext4", {"-q", image_.string()}).exit_code == 0);
        mount();
    }
    ~FailingDisk() { run_program("umount", {path_.string()}); }
    FailingDisk(const FailingDisk&) = delete;
    FailingDisk& operator=(const FailingDisk&) = delete;

    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

    void fail() {
        const auto source = run_program("findmnt", {"-n", "-o", "SOURCE", path_.string()});
        const std::string device = std::filesystem::path(source.out.substr(0, source.out.find('\n'))).filename();
        write_file("/sys/fs/ext4/" + device + "/trigger_fs_error", "smbreaper fault test");
    }
    // Unmounts and mounts it again, writable: the disk after a repair (its files must be closed).
    void remount() {
        REQUIRE(run_program("umount", {path_.string()}).exit_code == 0);
        mount();
    }

private:
    void mount() {
        const auto mounted = run_program("mount", {"-o", "loop,errors=remount-ro", image_.string(), path_.string()});
        INFO(mounted.err);
        REQUIRE(mounted.exit_code == 0);
    }

    TempDir dir_;
    std::filesystem::path image_;
    std::filesystem::path path_;
};

}  // namespace smbreaper::test
