#include "skippedlines.h"
#include "foldedline.h"
#include "stacktree.h"

#include <QStringList>

namespace lundi::folded {

namespace {

QString describe(SkipReason reason)
{
    switch (reason) {
    case SkipReason::NoCount:
        return QStringLiteral("without a sample count (a decimal number) after the last space");
    case SkipReason::CountTooLarge:
        return QStringLiteral("with counts that take the profile beyond %1 years at 1 ms per sample")
            .arg(MaxProfileNs / NsPerSample / 1000 / 86400 / 365);
    case SkipReason::NoFrame:
        return QStringLiteral("with no frame before the count");
    case SkipReason::TooDeep:
        return QStringLiteral("with stacks deeper than %1 frames").arg(StackTree::MaxDepth);
    case SkipReason::FrameTooLong:
        return QStringLiteral("with a frame longer than %1 KiB").arg(StackTree::MaxFrameBytes / 1024);
    case SkipReason::OneCount:
        return QStringLiteral("with one count where the differential profile's other lines have two");
    }
    return {};
}

} // namespace

void SkippedLines::add(SkipReason reason, qint64 line, qint64 offset)
{
    if (!m_count)
        m_firstOffset = offset;
    ++m_count;
    ++m_counts[size_t(reason)];
    std::vector<qint64>& lines = m_lines[size_t(reason)];
    if (lines.size() < LinesShown)
        lines.push_back(line);
}

QString SkippedLines::reasons() const
{
    QStringList clauses;
    for (size_t reason = 0; reason < Reasons; ++reason) {
        const qint64 count = m_counts[reason];
        if (!count)
            continue;
        QStringList lines;
        for (const qint64 line : m_lines[reason])
            lines.append(QString::number(line));
        if (count > qint64(m_lines[reason].size()))
            lines.append(QStringLiteral("%1 more").arg(count - qint64(m_lines[reason].size())));
        clauses.append(
            (count > 1 ? QStringLiteral("%1 lines %2 (lines %3)") : QStringLiteral("%1 line %2 (line %3)"))
                .arg(count)
                .arg(describe(SkipReason(reason)), lines.join(QStringLiteral(", "))));
    }
    return clauses.join(QStringLiteral("; "));
}

QString SkippedLines::sentence() const
{
    const QString sentence = m_count > 1
                                 ? QStringLiteral("%1 lines are not folded stacks and were skipped: %2.")
                                 : QStringLiteral("%1 line is not a folded stack and was skipped: %2.");
    return sentence.arg(m_count).arg(reasons());
}

} // namespace lundi::folded
