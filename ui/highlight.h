#pragma once

#include "categoryset.h"
#include "model.h"

#include <memory>
#include <vector>

namespace lundi {

// What every view emphasises: frames whose name matches the search, and the ticked categories.
// A frame that neither matches (while a search is on) nor has a ticked category is dimmed.
struct Highlight
{
    // Indexed by StringId; null when no search is on.
    std::shared_ptr<const std::vector<bool>> matches;
    CategorySet categories = CategorySet::all();

    bool searching() const { return matches != nullptr; }
    bool matched(StringId name) const
    {
        return matches && name > 0 && size_t(name) < matches->size() && (*matches)[size_t(name)];
    }
    bool dimmed(StringId name, Category category) const
    {
        return searching() ? !matched(name) : !categories.contains(category);
    }
};

} // namespace lundi
