#include <catch2/catch.hpp>

#include <filesystem>

#include "config/policy_loader.h"

using namespace smbreaper;

TEST_CASE("every shipped example policy is valid and free of warnings", "[examples]") {
    const std::filesystem::path folder = std::filesystem::path(SMBREAPER_SOURCE_DIR) / "config" / "examples";
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (entry.path().extension() != ".yaml") continue;
        const auto result = load_policy_file(entry.path());
        INFO(entry.path().string() << "\n" << result.diagnostics.render_text());
        REQUIRE(result.policy.has_value());
        REQUIRE(result.diagnostics.warning_count() == 0);
        ++checked;
    }
    REQUIRE(checked >= 5);
}
