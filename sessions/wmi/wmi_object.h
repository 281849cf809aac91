#pragma once

#include <string>
#include <string_view>

#include "sessions/wmi/com_owners.h"
#include "sessions/wmi/wmi_value.h"

#include <wbemidl.h>

namespace smbreaper::sessions {

// One WMI instance (or a method's output parameters), read property by property.
class WmiObject {
public:
    explicit WmiObject(ComPtr<IWbemClassObject> object) : object_(std::move(object)) {}

    // The value of `name`; null when the property is NULL. Throws WmiError when the object has no
    // such property, WmiValueError when its VARIANT type is one WMI does not use for properties.
    WmiValue get(std::string_view name) const;

    // The values of `names`, for mappings that take a property bag.
    template <typename Names>
    WmiProperties get_all(const Names& names) const {
        WmiProperties properties;
        for (const auto& name : names) properties.emplace(name, get(name));
        return properties;
    }

    // The instance's full object path (__PATH), which ExecMethod addresses.
    std::string path() const;

private:
    ComPtr<IWbemClassObject> object_;
};

}  // namespace smbreaper::sessions
