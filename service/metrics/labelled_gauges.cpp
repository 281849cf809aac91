#include "service/metrics/labelled_gauges.h"

namespace smbreaper::metrics {

void LabelledGauges::replace(const std::map<prometheus::Labels, double>& values) {
    std::map<prometheus::Labels, prometheus::Gauge*> kept;
    for (const auto& [labels, value] : values) {
        prometheus::Gauge& gauge = family_->Add(labels);
        gauge.Set(value);
        kept.emplace(labels, &gauge);
    }
    for (const auto& [labels, gauge] : series_) {
        if (!kept.contains(labels)) family_->Remove(gauge);
    }
    series_ = std::move(kept);
}

}  // namespace smbreaper::metrics
