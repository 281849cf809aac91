#include "sessions/json_input.h"

#include <charconv>
#include <vector>

#include "sessions/json_writer.h"
#include "sessions/session_table.h"

namespace smbreaper {
namespace {

bool starts_with_bytes(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// Builds the DOM from parse events, as nlohmann's own parser does, but refuses nesting deeper than
// max_json_nesting and keys repeated in one object, naming the JSON path where that happens, and
// leaves out the members `keep_member` rejects.
// (nlohmann's parser callbacks could watch for both, but its callback parser scans every parent
// container once per child value, which is quadratic for objects of many members.)
class GuardedDocumentBuilder final : public nlohmann::json_sax<nlohmann::json> {
public:
    GuardedDocumentBuilder(std::string_view text, std::string_view origin, KeepMember keep_member)
        : text_(text), origin_(origin), keep_member_(keep_member) {}

    nlohmann::json document;

    bool null() override { return place(nullptr); }
    bool boolean(bool value) override { return place(value); }
    bool number_integer(number_integer_t value) override { return place(value); }
    bool number_unsigned(number_unsigned_t value) override { return place(value); }
    bool number_float(number_float_t value, const string_t&) override { return place(value); }
    bool string(string_t& value) override { return place(std::move(value)); }
    bool binary(binary_t&) override { return true; }  // JSON text has no binary values
    bool start_object(std::size_t) override { return open(nlohmann::json::object()); }
    bool start_array(std::size_t) override { return open(nlohmann::json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& name) override {
        if (skip_depth_ > 0) return true;
        if (keep_member_ != nullptr) {
            const std::string_view top_level_member = open_.size() == 1 ? std::string_view(name) : open_.front().key;
            skip_next_value_ = !keep_member_(top_level_member, open_.size(), name);
            if (skip_next_value_) return true;
        }
        Container& object = open_.back();
        object.key = name;
        object.has_key = true;
        if (object.value->contains(name)) fail("the key appears twice in one object");
        return true;
    }

    bool parse_error(std::size_t chars_read, const std::string&, const nlohmann::detail::exception& error) override {
        throw SourceError(json_syntax_error_message(origin_, text_, chars_read, error));
    }

private:
    struct Container {
        nlohmann::json* value;  // stays valid: nothing is added to its parent while it is open
        std::string key;        // objects: the member being read
        bool has_key = false;
    };

    // Where the next value goes: the document itself, the current member, or a new element.
    nlohmann::json& next_slot() {
        if (open_.empty()) return document;
        Container& parent = open_.back();
        if (parent.value->is_object()) return (*parent.value)[parent.key];
        parent.value->push_back(nullptr);
        return parent.value->back();
    }

    bool place(nlohmann::json&& value) {
        if (skip_depth_ > 0) return true;
        if (skip_next_value_) {
            skip_next_value_ = false;
            return true;
        }
        next_slot() = std::move(value);
        return true;
    }

    bool open(nlohmann::json&& container) {
        if (skip_depth_ > 0 || skip_next_value_) {
            skip_next_value_ = false;
            ++skip_depth_;
        } else {
            nlohmann::json& slot = next_slot();
            slot = std::move(container);
            open_.push_back(Container{&slot, {}, false});
        }
        if (open_.size() + skip_depth_ > max_json_nesting) {
            fail("values nested deeper than " + std::to_string(max_json_nesting) + " levels");
        }
        return true;
    }

    bool close() {
        if (skip_depth_ > 0) {
            --skip_depth_;
        } else {
            open_.pop_back();
        }
        return true;
    }

    [[noreturn]] void fail(const std::string& problem) const {
        std::string path;
        for (const Container& container : open_) {
            if (container.value->is_object()) {
                if (container.has_key) path = json_member_path(path, container.key);
            } else if (!container.value->empty()) {
                path += "[" + std::to_string(container.value->size() - 1) + "]";
            }
        }
        throw SourceError(std::string(origin_) + ": " + (path.empty() ? "(the document)" : path) + ": " + problem);
    }

    std::string_view text_;
    std::string_view origin_;
    KeepMember keep_member_;
    std::vector<Container> open_;
    bool skip_next_value_ = false;  // the member just named is not kept
    std::size_t skip_depth_ = 0;    // containers open inside a member not kept
};

// nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// while parsing value - ..." or "[json.exception.out_of_range.406] number overflow parsing
// '1e400'": keep what follows its error id and its own idea of the position.
std::string nlohmann_error_detail(const std::exception& error) {
    std::string_view detail = error.what();
    const std::size_t bracket = detail.find("] ");
    if (bracket != std::string_view::npos) detail.remove_prefix(bracket + 2);
    if (detail.substr(0, 11) == "parse error") {
        const std::size_t colon = detail.find(": ");
        if (colon != std::string_view::npos) detail.remove_prefix(colon + 2);
    }
    return std::string(detail);
}

}  // namespace

std::string_view skip_utf8_bom(std::string_view text) {
    return starts_with_bytes(text, "\xEF\xBB\xBF") ? text.substr(3) : text;
}

std::string_view json_text_without_bom(std::string_view text, std::string_view origin) {
    if (starts_with_bytes(text, "\xEF\xBB\xBF")) return skip_utf8_bom(text);
    // UTF-32 LE begins like UTF-16 LE, so test it first.
    const bool utf32 = starts_with_bytes(text, std::string_view("\xFF\xFE\0\0", 4)) ||
                       starts_with_bytes(text, std::string_view("\0\0\xFE\xFF", 4));
    const bool utf16 = starts_with_bytes(text, "\xFF\xFE") || starts_with_bytes(text, "\xFE\xFF");
    if (utf32 || utf16) {
        throw SourceError(std::string(origin) + ": the text is " + (utf32 ? "UTF-32" : "UTF-16") +
                          ", not UTF-8; save it as UTF-8 (in PowerShell: ... | ConvertTo-Json | "
                          "Out-File -Encoding utf8 FILE)");
    }
    return text;
}

TextPosition text_position(std::string_view text, std::size_t offset) {
    TextPosition position;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else {
            ++position.column;
        }
    }
    return position;
}

std::string json_syntax_error_message(std::string_view origin, std::string_view text, std::size_t chars_read,
                                      const std::exception& error) {
    const TextPosition at = text_position(text, chars_read == 0 ? 0 : chars_read - 1);
    std::string message = std::string(origin) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return message + "the document is empty: expected JSON";
    }
    return message + nlohmann_error_detail(error);
}

std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string expected_whole_number(std::uint64_t largest) {
    return "expected a whole number from 0 to " + std::to_string(largest) + " (or its decimal string)";
}

std::string quote_for_message(std::string_view text) {
    constexpr std::size_t longest = 60;
    std::string quoted;
    append_json_string(quoted, text.substr(0, longest));
    if (text.size() > longest) quoted.insert(quoted.size() - 1, "...");
    return quoted;
}

nlohmann::json parse_json_document(std::string_view document, std::string_view origin, KeepMember keep_member) {
    const std::string_view text = json_text_without_bom(document, origin);
    GuardedDocumentBuilder builder(text, origin, keep_member);
    nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
    return std::move(builder.document);
}

std::string json_member_path(const std::string& path, std::string_view key) {
    bool identifier = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
    for (char c : key) {
        identifier = identifier && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!identifier) return path + "[" + quote_for_message(key) + "]";
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace smbreaper
