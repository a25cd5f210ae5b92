#pragma once

#include "model.h"

#include <optional>
#include <utility>
#include <vector>

namespace lundi {

class Store;

// How long each device was busy: the union of the intervals of the top-level spans on its GPU
// tracks (one per stream), so that kernels overlapping on several streams, or on one, count
// once and never add up past the wall clock. A device is the process of its GPU tracks
// ("GPU 0") within one source. Kineto's cuda_sync spans are waits for an event or a stream,
// not work, and are left out.
class GpuBusy
{
  public:
    struct Device
    {
        SourceId source = 0;
        QString name;       // "GPU 0"
        qint64 busyNs = 0;  // the union of its spans' intervals
        qint64 kernels = 0; // the spans counted: kernels, memcpy, memset
        int streams = 0;    // its GPU tracks with at least one of them
    };

    // Devices in track order. With a range, only spans that meet it count, clipped to it.
    static std::vector<Device> compute(const Store& store, std::optional<TimeRange> range = {});
    // The length of the union of [start, end) intervals; sorts them.
    static qint64 unionLength(std::vector<std::pair<qint64, qint64>>& intervals);
};

} // namespace lundi
