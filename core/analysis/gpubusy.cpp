#include "gpubusy.h"

#include "store/store.h"

#include <algorithm>
#include <limits>

namespace lundi {

std::vector<GpuBusy::Device> GpuBusy::compute(const Store& store, std::optional<TimeRange> range)
{
    std::vector<Device> devices;
    std::vector<std::vector<std::pair<qint64, qint64>>> intervals; // by device
    for (const Track& track : store.tracks()) {
        if (track.kind != TrackKind::Gpu)
            continue;
        auto device = std::find_if(devices.begin(), devices.end(), [&](const Device& d) {
            return d.source == track.source && d.name == track.process;
        });
        if (device == devices.end()) {
            devices.push_back({track.source, track.process, 0, 0, 0});
            intervals.emplace_back();
            device = devices.end() - 1;
        }
        auto& spans = intervals[size_t(device - devices.begin())];
        const size_t before = spans.size();
        for (const Span& span : store.spansOfTrack(track.id)) {
            if (span.parent != 0 || span.cat == QLatin1String("cuda_sync"))
                continue;
            qint64 start = span.startNs;
            qint64 end = span.durNs > std::numeric_limits<qint64>::max() - start
                             ? std::numeric_limits<qint64>::max()
                             : start + span.durNs;
            if (range) {
                const bool meets = span.durNs == 0 ? start >= range->startNs && start < range->endNs
                                                   : start < range->endNs && end > range->startNs;
                if (!meets)
                    continue;
                start = std::max(start, range->startNs);
                end = std::min(end, range->endNs);
            }
            spans.emplace_back(start, end);
        }
        device->kernels += qint64(spans.size() - before);
        device->streams += spans.size() > before ? 1 : 0;
    }
    for (size_t i = 0; i < devices.size(); ++i)
        devices[i].busyNs = unionLength(intervals[i]);
    return devices;
}

qint64 GpuBusy::unionLength(std::vector<std::pair<qint64, qint64>>& intervals)
{
    std::sort(intervals.begin(), intervals.end());
    // Unsigned: an interval's length always fits, even one from far before 1970 to far after.
    quint64 total = 0;
    qint64 coveredTo = std::numeric_limits<qint64>::min();
    for (const auto& [start, end] : intervals) {
        const qint64 from = std::max(start, coveredTo);
        if (end > from) {
            total += quint64(end) - quint64(from);
            coveredTo = end;
        }
    }
    return qint64(std::min<quint64>(total, std::numeric_limits<qint64>::max()));
}

} // namespace lundi
