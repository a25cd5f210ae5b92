#pragma once

#include <QString>

namespace lundi {

// A tooltip that shows text exactly as it is. QToolTip guesses whether text is rich text, so
// a span named "<b>x</b>" would turn bold; escaped inside a paragraph it shows its characters,
// and pre-wrap keeps its line breaks.
inline QString plainToolTip(const QString& text)
{
    return QStringLiteral("<p style='white-space:pre'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace lundi
