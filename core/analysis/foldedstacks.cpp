#include "foldedstacks.h"

#include <QMap>

namespace lundi {

namespace {

QString cleanFrame(QString name)
{
    name.replace(QLatin1Char(';'), QLatin1Char(':'));
    name.replace(QLatin1Char('\n'), QLatin1Char(' '));
    name.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return name.isEmpty() ? QStringLiteral("(unnamed)") : name;
}

} // namespace

QStringList foldedStacks(const FlameTree& tree, const std::function<QString(qint64 frame)>& frameName)
{
    QMap<QString, qint64> selfByStack; // sorted, and merges names that clean to the same text
    const auto& nodes = tree.nodes();
    // Depth-first with an explicit stack: traces can nest deeper than the call stack allows.
    std::vector<std::pair<qint32, QString>> pending;
    for (qint32 c : tree.root().children)
        pending.emplace_back(c, QString());
    while (!pending.empty()) {
        auto [n, prefix] = std::move(pending.back());
        pending.pop_back();
        const FlameTree::Node& node = nodes[size_t(n)];
        const QString stack = prefix.isEmpty()
                                  ? cleanFrame(frameName(node.frame))
                                  : prefix + QLatin1Char(';') + cleanFrame(frameName(node.frame));
        if (node.frame > 0)
            selfByStack[stack] += node.selfNs;
        for (qint32 c : node.children)
            pending.emplace_back(c, stack);
    }
    QStringList lines;
    lines.reserve(selfByStack.size());
    for (auto it = selfByStack.cbegin(); it != selfByStack.cend(); ++it)
        lines.append(it.key() + QLatin1Char(' ') + QString::number(it.value()));
    return lines;
}

} // namespace lundi
