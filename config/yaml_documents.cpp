#include "config/yaml_documents.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace smbreaper::config {
namespace {

// Records where each document starts, and where its first node is (what an error points at).
class DocumentStarts final : public YAML::EventHandler {
public:
    struct Document {
        YAML::Mark start;
        YAML::Mark first_node;
        bool has_node = false;
    };
    std::vector<Document> documents;

    void OnDocumentStart(const YAML::Mark& mark) override { documents.push_back({mark, mark, false}); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node_at(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node_at(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        node_at(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        node_at(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        node_at(mark);
    }
    void OnMapEnd() override {}

private:
    void node_at(const YAML::Mark& mark) {
        if (documents.empty() || documents.back().has_node) return;
        documents.back().first_node = mark;
        documents.back().has_node = true;
    }
};

}  // namespace

YamlDocuments read_yaml_documents(const std::string& text) {
    std::istringstream input(text);
    YAML::Parser parser(input);
    DocumentStarts starts;
    // Three documents are enough to tell one, several, and a parser that no longer moves on.
    while (starts.documents.size() < 3 && parser.HandleNextDocument(starts)) {
        const auto& read = starts.documents;
        if (read.size() >= 2 && read[read.size() - 1].start.pos == read[read.size() - 2].start.pos) {
            const YAML::Mark& stuck = read.back().start;
            const char found = static_cast<std::size_t>(stuck.pos) < text.size() ? text[stuck.pos] : ' ';
            throw YAML::ParserException(stuck, std::string("unexpected '") + found + "' outside a [...] or {...} list");
        }
    }
    YamlDocuments documents;
    documents.count = std::min<std::size_t>(starts.documents.size(), 2);
    if (documents.count == 0) return documents;
    if (documents.count == 2) documents.second_start = starts.documents[1].first_node;
    documents.first = YAML::Load(text);
    return documents;
}

}  // namespace smbreaper::config
