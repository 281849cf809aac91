#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::common {

// Appends compact JSON to a string without building a document first, so that large tables
// (a hundred thousand sessions) are written with one growing buffer. Strings are escaped per
// RFC 8259; invalid UTF-8 bytes are replaced by U+FFFD so the output always parses.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(std::uint32_t number) { return value(static_cast<std::uint64_t>(number)); }
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    JsonWriter& null();

    template <typename T>
    JsonWriter& value(const std::optional<T>& maybe) {
        return maybe ? value(*maybe) : null();
    }
    JsonWriter& value(const std::vector<std::string>& items);

    // Appends already-serialised JSON as one value.
    JsonWriter& raw(std::string_view json);

private:
    void separate();

    std::string& out_;
    bool need_comma_ = false;
};

// Appends `text` as a JSON string literal (with quotes).
void append_json_string(std::string& out, std::string_view text);

}  // namespace smbreaper::common
