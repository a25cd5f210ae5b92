#pragma once

#include "flametree.h"

#include <vector>

namespace lundi {

// The flame tree folded by frame name: where time is spent (self) and under which names (total).
class TopList
{
  public:
    struct Entry
    {
        StringId name = 0;
        Category category = Category::Other;
        qint64 selfNs = 0;
        qint64 totalNs = 0; // recursion counted once: only the outermost frame of a name adds
        qint64 count = 0;
    };
    enum class Order { BySelf, ByTotal };

    static std::vector<Entry> build(const FlameTree& tree, Order order);
};

} // namespace lundi
