#pragma once

// Where a flame graph test finds what it checks: nodes by their path of frames, the rows they
// are drawn in, and the pixels of a colour.

#include "flamegraphview.h"

#include <QImage>

#include <utility>

namespace lundi::test {

// The node at a path of frames below a tree's root, or -1.
inline qint32 nodeOf(const FlameTree& tree, std::initializer_list<StringId> path)
{
    qint32 node = 0;
    for (StringId frame : path) {
        qint32 next = -1;
        for (qint32 c : tree.nodes()[size_t(node)].children)
            if (tree.nodes()[size_t(c)].frame == frame)
                next = c;
        if (next < 0)
            return -1;
        node = next;
    }
    return node;
}

inline qint32 nodeOf(const FlameGraphView& view, std::initializer_list<StringId> path)
{
    return nodeOf(*view.tree(), path);
}

// The top pixel row inside the boxes of a node's row: found through nodeAt, a pixel below the
// row's first line so that no label is in the way.
inline int rowOf(const FlameGraphView& view, qint32 node, int x = 2)
{
    for (int y = 0; y < view.height(); ++y) {
        if (view.nodeAt(QPoint(x, y)) == node)
            return y + 1;
    }
    return -1;
}

// [first, last] of the pixels of a colour on one line of an image, or {-1, -1}.
inline std::pair<int, int> extent(const QImage& image, int y, const QColor& colour)
{
    int first = -1, last = -1;
    for (int x = 0; x < image.width(); ++x) {
        if (image.pixelColor(x, y) == colour) {
            if (first < 0)
                first = x;
            last = x;
        }
    }
    return {first, last};
}

} // namespace lundi::test
