#pragma once

// Flame trees of hand-made spans named by single letters, written out as text so that a test
// compares them with what was worked out on paper.

#include "analysis/flametree.h"

#include <QStringList>

#include <functional>

namespace lundi::test {

// Frame names are single letters: StringId 1 is "A", 2 is "B", and so on.
inline StringId frame(char letter)
{
    return StringId(letter - 'A' + 1);
}

inline SpanRecord span(SpanId id, SpanId parent, char name, qint64 start, qint64 dur, TrackId track = 1,
                       Category category = Category::Other)
{
    return {id, parent, track, frame(name), category, start, dur};
}

inline QString frameName(qint64 frame)
{
    if (frame < 0)
        return QStringLiteral("track %1").arg(-frame);
    return QString(QChar(char16_t(u'A' + frame - 1)));
}

// One line per node of a subtree, "A;B total=… self=… count=…", its own frame first, sorted.
inline QStringList renderSubtree(const FlameTree& tree, qint32 from)
{
    const auto& nodes = tree.nodes();
    QStringList lines;
    std::function<void(qint32, const QString&)> visit = [&](qint32 n, const QString& prefix) {
        const FlameTree::Node& node = nodes[size_t(n)];
        const QString path =
            prefix.isEmpty() ? frameName(node.frame) : prefix + QLatin1Char(';') + frameName(node.frame);
        lines.append(QStringLiteral("%1 total=%2 self=%3 count=%4")
                         .arg(path)
                         .arg(node.totalNs)
                         .arg(node.selfNs)
                         .arg(node.count));
        for (qint32 c : node.children)
            visit(c, path);
    };
    visit(from, QString());
    lines.sort();
    return lines;
}

} // namespace lundi::test
