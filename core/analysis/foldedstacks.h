#pragma once

#include "flametree.h"

#include <QStringList>

#include <functional>

namespace lundi {

// The flame tree as Brendan Gregg's folded stacks: one line per distinct stack,
// "root;...;leaf self_ns", sorted. Frame names have ';' and line breaks replaced so that every
// line stays parseable.
QStringList foldedStacks(const FlameTree& tree, const std::function<QString(qint64 frame)>& frameName);

} // namespace lundi
