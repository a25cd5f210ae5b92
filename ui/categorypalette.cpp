#include "categorypalette.h"

#include <array>

namespace lundi {

QColor CategoryPalette::fill(Category category)
{
    // Hues far apart, at similar lightness, so no category stands out by accident.
    static constexpr std::array<QRgb, 8> fills{
        0xff7fb2e5, // api: blue
        0xff8fd18a, // network: green
        0xffc3a0ea, // gpu: violet
        0xfff0a04b, // compliance: orange
        0xffd4bd7a, // storage: sand
        0xff7fd3cb, // compute: teal
        0xffee9aa8, // queue: rose
        0xffc4c4c4, // other: grey
    };
    return QColor::fromRgb(fills[size_t(category)]);
}

QColor CategoryPalette::match()
{
    return QColor::fromRgb(0xffff4fd8);
}

QColor CategoryPalette::dimmed(const QColor& fill, const QColor& background)
{
    // A quarter of the fill over the background keeps the shape visible without drawing the eye.
    const auto mix = [](int a, int b) { return (a + 3 * b) / 4; };
    return QColor(mix(fill.red(), background.red()), mix(fill.green(), background.green()),
                  mix(fill.blue(), background.blue()));
}

QColor CategoryPalette::fill(StringId name, Category category, const Highlight& highlight,
                             const QColor& background)
{
    if (highlight.matched(name))
        return match();
    return highlight.dimmed(name, category) ? dimmed(fill(category), background) : fill(category);
}

} // namespace lundi
