#include "sessions/wmi/wmi_object.h"

#include <wbemidl.h>

#include "common/windows/wide_text.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {
using smbreaper::common::to_utf8;
using smbreaper::common::to_wide;

namespace {

// VARIANT -> WmiValue for the types WMI uses to marshal CIM property values.
WmiValue to_value(const VARIANT& variant, std::string_view name) {
    switch (variant.vt) {
        case VT_NULL:
        case VT_EMPTY: return std::monostate{};
        case VT_BSTR: {
            // Some providers count a terminating NUL into the BSTR's length (Wine's __PATH does):
            // it is not part of the value, and it would cut every message the text is put in.
            std::wstring_view text(variant.bstrVal, SysStringLen(variant.bstrVal));
            while (!text.empty() && text.back() == L'\0') text.remove_suffix(1);
            return to_utf8(text);
        }
        case VT_BOOL: return variant.boolVal != VARIANT_FALSE;
        case VT_UI1: return static_cast<std::int64_t>(variant.bVal);
        case VT_I2: return static_cast<std::int64_t>(variant.iVal);
        case VT_I4: return static_cast<std::int64_t>(variant.lVal);
        case VT_UI4: return static_cast<std::int64_t>(variant.ulVal);
        case VT_I8: return static_cast<std::int64_t>(variant.llVal);
        case VT_R4: return static_cast<double>(variant.fltVal);
        case VT_R8: return variant.dblVal;
        default:
            throw WmiValueError("property " + std::string(name) + " has VARIANT type " + std::to_string(variant.vt) +
                                ", which smbreaper does not read");
    }
}

}  // namespace

WmiValue WmiObject::get(std::string_view name) const {
    Variant value;
    const HRESULT result = object_->Get(to_wide(name).c_str(), 0, value.put(), nullptr, nullptr);
    // A property the class does not have on this Windows version (SmbInstance before Windows
    // Server 2012 R2) is unknown, as a null one is.
    if (result == WBEM_E_NOT_FOUND) return std::monostate{};
    if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), "reading property " + std::string(name));
    return to_value(value.get(), name);
}

std::string WmiObject::path() const {
    const auto path = wmi_string(get("__PATH"));
    if (!path || path->empty()) throw WmiError(0x80041002, "reading the instance path (__PATH)");
    return *path;
}

}  // namespace smbreaper::sessions
