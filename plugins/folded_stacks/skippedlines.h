#pragma once

#include <QString>

#include <array>
#include <vector>

namespace lundi::folded {

// Why a line of a folded profile was left out.
enum class SkipReason : quint8 {
    NoCount,       // no sample count after the last space
    CountTooLarge, // the profile would outlast MaxProfileNs
    NoFrame,       // nothing but semicolons before the count
    TooDeep,
    FrameTooLong,
    OneCount, // a line with one count in a differential profile
};

// The lines left out of an import, counted by reason with the first few line numbers of each,
// so that a file of a million bad lines gives one sentence, not a million warnings.
class SkippedLines
{
  public:
    void add(SkipReason reason, qint64 line, qint64 offset);
    qint64 count() const { return m_count; }
    // The byte offset of the first line left out, or -1.
    qint64 firstOffset() const { return m_firstOffset; }
    // "2 lines without a sample count (a decimal number) after the last space (lines 3, 6); ...".
    QString reasons() const;
    // "3 lines are not folded stacks and were skipped: " and the reasons.
    QString sentence() const;

  private:
    static constexpr size_t Reasons = size_t(SkipReason::OneCount) + 1;
    static constexpr size_t LinesShown = 5;

    qint64 m_count = 0;
    qint64 m_firstOffset = -1;
    std::array<qint64, Reasons> m_counts{};
    std::array<std::vector<qint64>, Reasons> m_lines;
};

} // namespace lundi::folded
