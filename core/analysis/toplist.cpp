#include "toplist.h"

#include <algorithm>
#include <map>

namespace lundi {

std::vector<TopList::Entry> TopList::build(const FlameTree& tree, Order order)
{
    const auto& nodes = tree.nodes();
    std::map<std::pair<StringId, Category>, Entry> byName;
    for (size_t n = 1; n < nodes.size(); ++n) {
        const FlameTree::Node& node = nodes[n];
        if (node.frame <= 0)
            continue;
        Entry& entry = byName[{node.frame, node.category}];
        entry.name = node.frame;
        entry.category = node.category;
        entry.selfNs += node.selfNs;
        entry.count += node.count;
        // Recursion is per entry: a same-name frame of another category is another entry.
        bool nested = false;
        for (qint32 up = node.parent; up > 0 && !nested; up = nodes[size_t(up)].parent)
            nested = nodes[size_t(up)].frame == node.frame && nodes[size_t(up)].category == node.category;
        if (!nested)
            entry.totalNs += node.totalNs;
    }
    std::vector<Entry> entries;
    entries.reserve(byName.size());
    for (const auto& [key, entry] : byName)
        entries.push_back(entry);
    const auto key = [order](const Entry& entry) {
        return order == Order::BySelf ? std::pair(entry.selfNs, entry.totalNs)
                                      : std::pair(entry.totalNs, entry.selfNs);
    };
    std::stable_sort(entries.begin(), entries.end(),
                     [&](const Entry& a, const Entry& b) { return key(a) > key(b); });
    return entries;
}

} // namespace lundi
