#pragma once

#include <cstdint>
#include <span>

namespace smbreaper::bench {

// SplitMix64: a tiny generator whose output is fixed by its seed alone. The standard library's
// distributions are implementation-defined, so tables made with them could differ between
// compilers; these do not, and a benchmark table is the same wherever it is generated.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound); the modulo bias is below 2^-40 for the bounds used here.
    std::uint64_t below(std::uint64_t bound) { return next() % bound; }

    // Uniform in [low, high].
    std::uint64_t between(std::uint64_t low, std::uint64_t high) { return low + below(high - low + 1); }

    // True with the given probability in percent (0.1 steps: 12.5 means 12.5 %).
    bool percent(double chance) { return static_cast<double>(below(1000)) < chance * 10.0; }

    template <typename T>
    const T& pick(std::span<const T> items) {
        return items[below(items.size())];
    }

private:
    std::uint64_t state_;
};

}  // namespace smbreaper::bench
