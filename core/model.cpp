#include "model.h"

namespace lundi {

QString trackKindName(TrackKind kind)
{
    switch (kind) {
    case TrackKind::Thread:
        return QStringLiteral("thread");
    case TrackKind::Process:
        return QStringLiteral("process");
    case TrackKind::Async:
        return QStringLiteral("async");
    case TrackKind::Gpu:
        return QStringLiteral("gpu");
    case TrackKind::Service:
        return QStringLiteral("service");
    case TrackKind::Probe:
        return QStringLiteral("probe");
    case TrackKind::Counter:
        break;
    }
    return QStringLiteral("counter");
}

} // namespace lundi
