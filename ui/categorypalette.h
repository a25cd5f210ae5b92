#pragma once

#include "category.h"
#include "highlight.h"

#include <QColor>

namespace lundi {

// One palette for every view and the legend. Fills are mid-light so black labels read on them
// whether the window palette is light or dark; dimmed fills fade into the view's background.
class CategoryPalette
{
  public:
    static QColor fill(Category category);
    // The colour of a search match, the same in every view.
    static QColor match();
    // A frame as the highlight wants it drawn over the given background.
    static QColor fill(StringId name, Category category, const Highlight& highlight,
                       const QColor& background);
    static QColor dimmed(const QColor& fill, const QColor& background);
    static QColor text() { return Qt::black; }
};

} // namespace lundi
