#pragma once

#include <QString>

namespace lundi::otlp {

// A warning that counts something, in the grammar of its count: the singular sentence says
// "1 ...", the plural one holds %1.
inline QString countSentence(qint64 count, const char* singular, const char* plural)
{
    return count == 1 ? QString::fromUtf8(singular) : QString::fromUtf8(plural).arg(count);
}

} // namespace lundi::otlp
