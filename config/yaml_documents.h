#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace smbreaper::config {

// The documents of a YAML text, read so that no input can make yaml-cpp loop. yaml-cpp 0.7's
// LoadAll never returns on a ',' at the top of a document ("," alone, or "[a]\n,"): each attempt
// yields an empty document without consuming the comma, and the list of documents grows until
// the memory runs out (found by fuzz_policy_loader). Here the documents' start positions are
// read first, and a document that starts where the one before it did is a syntax error.
// NOLINTNEXTLINE(bugprone-exception-escape): YAML::Node's own assignment may throw; nothing moves one
struct YamlDocuments {
    YAML::Node first;         // null when the text holds no document
    std::size_t count = 0;    // 0, 1, or 2 meaning two or more
    YAML::Mark second_start;  // where the second document's first value is, when there is one
};

// Throws YAML::Exception (a ParserException with its mark) for a syntax error.
YamlDocuments read_yaml_documents(const std::string& text);

}  // namespace smbreaper::config
