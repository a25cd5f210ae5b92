#pragma once

#include "flametree.h"

namespace lundi {

// One frame name seen from both sides, as two flame trees whose root is the frame itself.
// Only the outermost calls of the name count (a call inside another call of it is part of
// that one's time), so recursion is counted once and both roots hold the same totals.
struct Sandwich
{
    // Below the root: the time of each direct caller when it called the frame, their callers
    // below them, and so on to the stacks' roots. A caller node's total, self and count are
    // those of the frame's calls through that chain (the frame's own self time, not the caller's).
    FlameTree callers;
    // Below the root: the subtrees under every outermost call of the frame, merged by stack.
    FlameTree callees;

    static Sandwich build(const FlameTree& tree, StringId frame);
};

} // namespace lundi
