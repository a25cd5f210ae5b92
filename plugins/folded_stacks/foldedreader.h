#pragma once

#include "skippedlines.h"
#include "stacktree.h"

#include <functional>
#include <optional>
#include <string_view>

namespace lundi::folded {

// Reads the lines of a folded profile into a StackTree, one pass over the text without copying
// it, and counts the lines it cannot read.
class FoldedReader
{
  public:
    // One count per line, or two: a differential profile's baseline and incident.
    enum class Counts : quint8 { Undecided, One, Two };

    // text: UTF-8; offset: where text starts in the input, for positions (-1: text is a
    // conversion, with no positions in the input); counts: Undecided lets the first stack decide;
    // nsPerCount: the time one count stands for (see FoldedLine::parse).
    FoldedReader(std::string_view text, qint64 offset, Counts counts, qint64 nsPerCount);

    // Reads every line; progress(bytes read) every few thousand lines.
    void read(const std::function<void(qint64)>& progress);

    Counts counts() const { return m_counts; }
    // How most stacks are written (Undecided: there are none); one count on a tie.
    Counts majority() const;
    // The lines that went into the tree.
    qint64 stacks() const { return m_stacks; }
    StackTree& tree() { return *m_tree; }
    const SkippedLines& skipped() const { return m_skipped; }
    // Lines that end in two numbers, read as one count with the first number ending the last
    // frame's name because most lines have one count; and the first of them.
    qint64 twoCountLinesReadAsOne() const { return m_twoCountLinesReadAsOne; }
    qint64 firstTwoCountLine() const { return m_firstTwoCountLine; }

  private:
    void readLine(std::string_view text, qint64 number, qint64 offset);

    std::string_view m_text;
    qint64 m_offset;
    Counts m_counts;
    qint64 m_nsPerCount;
    std::optional<StackTree> m_tree; // once the number of counts is known
    SkippedLines m_skipped;
    qint64 m_stacks = 0;
    qint64 m_oneCountLines = 0;
    qint64 m_twoCountLines = 0;
    qint64 m_twoCountLinesReadAsOne = 0;
    qint64 m_firstTwoCountLine = 0;
};

} // namespace lundi::folded
