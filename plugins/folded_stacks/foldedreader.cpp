#include "foldedreader.h"
#include "foldedline.h"

#include "ingest/importerror.h"

#include <cstring>

namespace lundi::folded {

FoldedReader::FoldedReader(std::string_view text, qint64 offset, Counts counts, qint64 nsPerCount)
    : m_text(text), m_offset(offset), m_counts(counts), m_nsPerCount(nsPerCount)
{
    if (counts != Counts::Undecided)
        m_tree.emplace(counts == Counts::Two ? 2 : 1);
}

FoldedReader::Counts FoldedReader::majority() const
{
    if (!m_oneCountLines && !m_twoCountLines)
        return Counts::Undecided;
    return m_twoCountLines > m_oneCountLines ? Counts::Two : Counts::One;
}

void FoldedReader::read(const std::function<void(qint64)>& progress)
{
    qint64 number = 0;
    for (size_t start = 0; start < m_text.size();) {
        const void* newline = std::memchr(m_text.data() + start, '\n', m_text.size() - start);
        const size_t end =
            newline ? size_t(static_cast<const char*>(newline) - m_text.data()) : m_text.size();
        readLine(m_text.substr(start, end - start), ++number, m_offset < 0 ? -1 : m_offset + qint64(start));
        start = end + 1;
        if (number % 4096 == 0)
            progress(qint64(start));
    }
}

void FoldedReader::readLine(std::string_view text, qint64 number, qint64 offset)
{
    const FoldedLine line = FoldedLine::parse(text, m_nsPerCount);
    if (line.kind == FoldedLine::Kind::Blank || line.kind == FoldedLine::Kind::Comment)
        return;
    if (line.kind == FoldedLine::Kind::Bad) {
        m_skipped.add(line.problem, number, offset);
        return;
    }
    const bool twoCounts = !line.baselineStack.empty();
    ++(twoCounts ? m_twoCountLines : m_oneCountLines);
    if (m_counts == Counts::Undecided) {
        m_counts = twoCounts ? Counts::Two : Counts::One;
        m_tree.emplace(twoCounts ? 2 : 1);
    }
    std::optional<SkipReason> problem;
    if (m_counts == Counts::Two) {
        if (!twoCounts) {
            problem = SkipReason::OneCount;
        } else if (line.baselineTooLarge) {
            problem = SkipReason::CountTooLarge;
        } else {
            const qint64 ns[] = {line.baselineNs, line.ns};
            problem = m_tree->add(line.baselineStack, ns);
        }
    } else {
        if (twoCounts && !m_twoCountLinesReadAsOne++)
            m_firstTwoCountLine = number;
        problem = m_tree->add(line.stack, &line.ns);
    }
    if (problem)
        m_skipped.add(*problem, number, offset);
    else
        ++m_stacks;
    if (m_tree->nodes() > StackTree::MaxNodes) {
        const QString where = offset < 0 ? QStringLiteral(" (by line %1)").arg(number) : QString();
        throw ImportError(
            QStringLiteral("the profile has more than %1 million distinct stack prefixes%2, each one "
                           "span; Lundi reads at most that many")
                .arg(StackTree::MaxNodes / 1'000'000)
                .arg(where),
            offset);
    }
}

} // namespace lundi::folded
