#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/labels.h>

#include <map>

namespace smbreaper::metrics {

// The series of one gauge family, replaced as a whole: each update sets the values it is given
// and removes the series it is not, so that a rule, a dialect or a phase that is gone leaves no
// stale value behind.
class LabelledGauges {
public:
    explicit LabelledGauges(prometheus::Family<prometheus::Gauge>& family) : family_(&family) {}

    void replace(const std::map<prometheus::Labels, double>& values);

private:
    prometheus::Family<prometheus::Gauge>* family_;
    std::map<prometheus::Labels, prometheus::Gauge*> series_;
};

}  // namespace smbreaper::metrics
