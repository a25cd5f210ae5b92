#include "continuingsink.h"

#include <QRegularExpression>

namespace lundi {

namespace {

// The fields of a spec joined by a byte that text does not hold.
std::string key(char kind, std::initializer_list<QByteArrayView> fields)
{
    std::string key(1, kind);
    for (const QByteArrayView field : fields) {
        key += '\x1f';
        key.append(field.data(), size_t(field.size()));
    }
    return key;
}

} // namespace

void ContinuingSink::begin(Sink& target)
{
    m_target = &target;
    m_added.clear();
    m_warningsAdded.clear();
}

void ContinuingSink::commit()
{
    m_target = nullptr;
    m_added.clear();
    m_warningsAdded.clear();
}

void ContinuingSink::rollback()
{
    for (const std::string& added : m_added)
        m_ids.erase(added);
    for (const QString& warning : m_warningsAdded)
        m_warnings.remove(warning);
    commit();
}

Sink& ContinuingSink::target()
{
    Q_ASSERT(m_target);
    return *m_target;
}

StringId ContinuingSink::intern(std::string_view text)
{
    return target().intern(text);
}

TrackId ContinuingSink::addTrack(const TrackSpec& track)
{
    const std::string trackKey =
        key('t', {QByteArray::number(int(track.kind)), track.name.toUtf8(), track.process.toUtf8(),
                  track.thread.toUtf8(), QByteArray::number(track.sortIndex)});
    const auto [found, isNew] = m_ids.try_emplace(trackKey, 0);
    if (isNew) {
        found->second = target().addTrack(track);
        m_added.push_back(trackKey);
    }
    return found->second;
}

SpanId ContinuingSink::addSpan(const SpanSpec& span)
{
    return target().addSpan(span);
}

void ContinuingSink::addFlow(SpanId from, SpanId to, StringId name)
{
    target().addFlow(from, to, name);
}

SeriesId ContinuingSink::addSeries(const SeriesSpec& series)
{
    const std::string seriesKey = key('s', {series.name.toUtf8(), series.labelsJson, series.unit.toUtf8(),
                                            QByteArray::number(series.track)});
    const auto [found, isNew] = m_ids.try_emplace(seriesKey, 0);
    if (isNew) {
        found->second = target().addSeries(series);
        m_added.push_back(seriesKey);
    }
    return found->second;
}

void ContinuingSink::addSample(SeriesId series, qint64 timeNs, double value)
{
    target().addSample(series, timeNs, value);
}

void ContinuingSink::warn(const QString& sentence)
{
    static const QRegularExpression numbers(QStringLiteral("[0-9]+"));
    QString shape = sentence;
    shape.replace(numbers, QStringLiteral("#"));
    if (m_warnings.contains(shape))
        return;
    m_warnings.insert(shape);
    m_warningsAdded.append(shape);
    target().warn(sentence);
}

void ContinuingSink::setMetadata(const QByteArray& json)
{
    target().setMetadata(json);
}

void ContinuingSink::beginPart(const QString& part)
{
    target().beginPart(part);
}

} // namespace lundi
