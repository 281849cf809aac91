#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace smbreaper::sessions {

// One WMI property value, as the generic WMI layer reads it out of a VARIANT, in a form that does
// not depend on Windows headers (so the mappings built on it are tested on every platform).
// WMI marshals CIM types into few VARIANT types: strings and uint64/sint64 as VT_BSTR, the 8-,
// 16- and 32-bit integers as VT_I4 (or VT_UI1, VT_I2), booleans as VT_BOOL, NULL as VT_NULL.
using WmiValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

// The properties of one instance, by name as WMI spells it.
using WmiProperties = std::map<std::string, WmiValue, std::less<>>;

// Thrown when a property holds something its CIM type does not allow.
class WmiValueError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

bool is_null(const WmiValue& value);

// A short description for error messages: "null", "the string \"abc\"", "the integer -1".
std::string describe(const WmiValue& value);

// Typed reads. Each returns nullopt for null and throws WmiValueError for anything the CIM type
// cannot hold. uint64 accepts a string of decimal digits (how WMI sends it) or a non-negative
// integer; uint32 a VT_I4 integer, where WMI stores values above 2^31-1 as negative numbers, or a
// decimal string.
std::optional<std::uint64_t> wmi_uint64(const WmiValue& value);
std::optional<std::uint32_t> wmi_uint32(const WmiValue& value);
std::optional<std::string> wmi_string(const WmiValue& value);
std::optional<bool> wmi_bool(const WmiValue& value);

// The value of `name` in `properties`: null when absent.
const WmiValue& property(const WmiProperties& properties, std::string_view name);

// property(properties, name) read with `read` (wmi_uint64, wmi_string...); a type error names
// CLASS.NAME.
template <typename Read>
auto read_property(std::string_view class_name, const WmiProperties& properties, std::string_view name, Read read) {
    try {
        return read(property(properties, name));
    } catch (const WmiValueError& error) {
        throw WmiValueError(std::string(class_name) + "." + std::string(name) + ": " + error.what());
    }
}

}  // namespace smbreaper::sessions
