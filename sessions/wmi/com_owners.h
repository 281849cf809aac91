#pragma once

// RAII owners for the COM resources the WMI layer handles: interface pointers, BSTRs, VARIANTs.
// Each releases what it owns exactly once; none can be copied by accident.
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <oleauto.h>

#include <string_view>
#include <utility>

namespace smbreaper::sessions {

// Owns one reference to a COM interface.
template <typename Interface>
class ComPtr {
public:
    ComPtr() = default;
    ~ComPtr() { reset(); }
    ComPtr(const ComPtr&) = delete;
    ComPtr& operator=(const ComPtr&) = delete;
    ComPtr(ComPtr&& other) noexcept : pointer_(std::exchange(other.pointer_, nullptr)) {}
    ComPtr& operator=(ComPtr&& other) noexcept {
        if (this != &other) {
            reset();
            pointer_ = std::exchange(other.pointer_, nullptr);
        }
        return *this;
    }

    Interface* get() const { return pointer_; }
    Interface* operator->() const { return pointer_; }
    explicit operator bool() const { return pointer_ != nullptr; }

    // For the out-parameter of a call that hands over a new reference.
    Interface** put() {
        reset();
        return &pointer_;
    }
    void** put_void() { return reinterpret_cast<void**>(put()); }

    void reset() {
        if (pointer_ != nullptr) std::exchange(pointer_, nullptr)->Release();
    }

    // Another owner of the same interface (one more reference), for a call on another thread.
    ComPtr share() const {
        ComPtr other;
        if (pointer_ != nullptr) {
            pointer_->AddRef();
            other.pointer_ = pointer_;
        }
        return other;
    }

private:
    Interface* pointer_ = nullptr;
};

// Owns a BSTR.
class Bstr {
public:
    Bstr() = default;
    explicit Bstr(std::wstring_view text) : bstr_(SysAllocStringLen(text.data(), static_cast<UINT>(text.size()))) {}
    ~Bstr() { SysFreeString(bstr_); }
    Bstr(const Bstr&) = delete;
    Bstr& operator=(const Bstr&) = delete;

    BSTR get() const { return bstr_; }
    BSTR* put() {
        SysFreeString(bstr_);
        bstr_ = nullptr;
        return &bstr_;
    }
    std::wstring_view view() const { return {bstr_, bstr_ == nullptr ? 0 : SysStringLen(bstr_)}; }

private:
    BSTR bstr_ = nullptr;
};

// Owns a VARIANT (and whatever it points to).
class Variant {
public:
    Variant() { VariantInit(&variant_); }
    ~Variant() { VariantClear(&variant_); }
    Variant(const Variant&) = delete;
    Variant& operator=(const Variant&) = delete;

    const VARIANT& get() const { return variant_; }
    VARIANT* put() {
        VariantClear(&variant_);
        return &variant_;
    }

private:
    VARIANT variant_;
};

}  // namespace smbreaper::sessions
