#pragma once

#include <QColor>

namespace lundi {

// The fills of a differential flame graph: red for a frame that grew, blue for one that shrank,
// grey for one that did not change, each as strong as the change is against the scale (the
// largest change shown). As light as the category fills, so black labels read on them.
class ChangePalette
{
  public:
    // change and scale in the same unit (shares of time); a change under
    // FlameDiff::UnchangedShare is grey whatever the scale.
    static QColor fill(double change, double scale);
    static QColor unchanged();
};

} // namespace lundi
