#pragma once

// A session table for cycle tests: a real snapshot file that the test can rewrite, and hooks that
// run just before each list() and just after each close(), to change the table or inject a fault
// in the middle of a cycle.

#include <functional>
#include <string>
#include <vector>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"

namespace smbreaper::test {

class ScriptedTable final : public sessions::SessionTable {
public:
    explicit ScriptedTable(std::filesystem::path file) : file_(file), snapshot_(std::move(file)) {}

    std::string name() const override { return "snapshot"; }
    sessions::SessionSnapshot list() override {
        ++lists_;
        if (before_list_) before_list_(lists_);
        return snapshot_.list();
    }
    sessions::CloseResult close(const sessions::SessionRecord& session) override {
        ++closes_;
        sessions::CloseResult result = snapshot_.close(session);
        if (after_close_) after_close_(closes_);
        return result;
    }

    void write(const std::vector<sessions::SessionRecord>& sessions) {
        write_file(file_, to_windows_snapshot_json(sessions));
    }
    // Called with the running count before each list(): a cycle lists once, then again just
    // before closing.
    void before_list(std::function<void(int)> hook) { before_list_ = std::move(hook); }
    // Called with the running count after each close(), before the cycle records its outcome.
    void after_close(std::function<void(int)> hook) { after_close_ = std::move(hook); }
    int closes() const { return closes_; }
    std::size_t remaining() { return snapshot_.list().sessions.size(); }

private:
    std::filesystem::path file_;
    sessions::SnapshotSessionTable snapshot_;
    std::function<void(int)> before_list_;
    std::function<void(int)> after_close_;
    int lists_ = 0;
    int closes_ = 0;
};

}  // namespace smbreaper::test
