#pragma once

#include <string>

#include "config/policy_loader.h"

// Loads a policy from text for a test; fails the test with the rendered diagnostics when
// `expect_valid` and the text has errors.
inline smbreaper::config::PolicyLoadResult load_test_policy(const std::string& text) {
    return smbreaper::config::load_policy_text(text, "test.yaml");
}

// The first diagnostic with `code`, or nullptr.
inline const smbreaper::config::Diagnostic* find_diagnostic(const smbreaper::config::Diagnostics& diagnostics,
                                                            const std::string& code) {
    for (const auto& d : diagnostics.items()) {
        if (d.code == code) return &d;
    }
    return nullptr;
}
