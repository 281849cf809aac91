#include "sessions/json_input.h"

#include <charconv>
#include <unordered_set>
#include <vector>

#include "sessions/json_writer.h"
#include "sessions/session_table.h"

namespace smbreaper {
namespace {

bool starts_with_bytes(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// Watches nlohmann's parse events to refuse deep nesting and repeated keys, and knows the JSON
// path of the value being parsed so the refusal can say where.
class ParseGuard {
public:
    explicit ParseGuard(std::string_view origin) : origin_(origin) {}

    bool on_event(nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        switch (event) {
            case Event::object_start:
            case Event::array_start:
                count_element_of_parent();
                if (open_.size() >= max_json_nesting) {
                    fail("values nested deeper than " + std::to_string(max_json_nesting) + " levels");
                }
                open_.push_back(Container{event == Event::object_start, 0, {}, {}});
                break;
            case Event::key: {
                Container& object = open_.back();
                object.key = parsed.get_ref<const std::string&>();
                if (!object.keys.insert(object.key).second) fail("the key appears twice in one object");
                break;
            }
            case Event::value: count_element_of_parent(); break;
            case Event::object_end:
            case Event::array_end: open_.pop_back(); break;
        }
        return true;
    }

private:
    struct Container {
        bool is_object;
        std::size_t elements;  // arrays: how many elements have started
        std::string key;       // objects: the member being parsed
        std::unordered_set<std::string> keys;
    };

    void count_element_of_parent() {
        if (!open_.empty() && !open_.back().is_object) ++open_.back().elements;
    }

    [[noreturn]] void fail(const std::string& problem) const {
        std::string path;
        for (const Container& container : open_) {
            path = container.is_object ? json_member_path(path, container.key)
                                       : path + "[" + std::to_string(container.elements - 1) + "]";
        }
        if (path.empty()) path = "(the document)";
        throw SourceError(std::string(origin_) + ": " + path + ": " + problem);
    }

    std::string_view origin_;
    std::vector<Container> open_;
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

nlohmann::json parse_json_document(std::string_view document, std::string_view origin) {
    const std::string_view text = json_text_without_bom(document, origin);
    ParseGuard guard(origin);
    const auto callback = [&guard](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        return guard.on_event(event, parsed);
    };
    try {
        return nlohmann::json::parse(text.begin(), text.end(), callback);
    } catch (const nlohmann::json::parse_error& error) {
        throw SourceError(json_syntax_error_message(origin, text, error.byte, error));
    } catch (const nlohmann::json::exception& error) {
        // A number too large even for a double ("1e400") comes without a position.
        throw SourceError(std::string(origin) + ": " + nlohmann_error_detail(error));
    }
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
