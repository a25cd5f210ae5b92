#include "foldedline.h"

#include <algorithm>

namespace lundi::folded {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string_view trimmedEnd(std::string_view text)
{
    while (!text.empty() && isBlank(text.back()))
        text.remove_suffix(1);
    return text;
}

enum class Count : quint8 { Ok, NotANumber, TooLarge };

// A count as flamegraph.pl reads it: digits with an optional fraction ("12", "2.567", "19.",
// ".5"), turned into time exactly, without a double: at 1 ms a count, six decimals are whole
// nanoseconds and a seventh rounds. Signs, exponents, NaN and infinities are no counts.
Count parseCount(std::string_view text, qint64 nsPerCount, qint64& ns)
{
    const qint64 MaxWhole = MaxProfileNs / nsPerCount;
    size_t i = 0;
    qint64 whole = 0;
    for (; i < text.size() && isDigit(text[i]); ++i)
        whole = std::min(whole * 10 + (text[i] - '0'), MaxWhole + 1);
    bool hasDigits = i > 0;
    qint64 fraction = 0;
    if (i < text.size() && text[i] == '.') {
        qint64 place = nsPerCount;
        bool rounded = false;
        for (++i; i < text.size() && isDigit(text[i]); ++i) {
            hasDigits = true;
            if (place > 1) {
                place /= 10;
                fraction += (text[i] - '0') * place;
            } else if (!rounded) {
                rounded = true;
                fraction += text[i] >= '5';
            }
        }
    }
    if (!hasDigits || i != text.size())
        return Count::NotANumber;
    if (whole > MaxWhole)
        return Count::TooLarge;
    ns = whole * nsPerCount + fraction;
    return ns > MaxProfileNs ? Count::TooLarge : Count::Ok;
}

} // namespace

FoldedLine FoldedLine::parse(std::string_view line, qint64 nsPerCount)
{
    FoldedLine result;
    while (!line.empty() && isBlank(line.front()))
        line.remove_prefix(1);
    line = trimmedEnd(line);
    if (line.empty())
        return result;
    if (line.front() == '#' || line.starts_with("//")) {
        result.kind = Kind::Comment;
        return result;
    }
    result.kind = Kind::Bad;
    const size_t space = line.find_last_of(" \t");
    if (space == std::string_view::npos)
        return result;
    switch (parseCount(line.substr(space + 1), nsPerCount, result.ns)) {
    case Count::NotANumber:
        return result;
    case Count::TooLarge:
        result.problem = SkipReason::CountTooLarge;
        return result;
    case Count::Ok:
        break;
    }
    // The line starts with no blank, so there is something before the space.
    result.kind = Kind::Stack;
    result.stack = trimmedEnd(line.substr(0, space));
    const size_t before = result.stack.find_last_of(" \t");
    if (before != std::string_view::npos) {
        const Count baseline = parseCount(result.stack.substr(before + 1), nsPerCount, result.baselineNs);
        if (baseline != Count::NotANumber) {
            result.baselineStack = trimmedEnd(result.stack.substr(0, before));
            result.baselineTooLarge = baseline == Count::TooLarge;
        }
    }
    return result;
}

} // namespace lundi::folded
