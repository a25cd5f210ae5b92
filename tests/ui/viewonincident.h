#pragma once

// One view of a workbench on an incident file, as the tests of a single view set it up.

#include "workbench.h"

#include <QSize>
#include <QTest>

#include <memory>

namespace lundi::test {

// The workbench has loaded the incident and the view has finished its work in the background.
template <class View> bool settled(const Workbench& workbench, const View& view, int timeoutMs = 30000)
{
    return QTest::qWaitFor([&] { return workbench.snapshot() && !workbench.busy() && !view.busy(); },
                           timeoutMs);
}

// A new workbench with a new view of it, shown at size, on the incident at path; false when it
// did not settle.
template <class View>
bool showOnIncident(std::unique_ptr<Workbench>& workbench, std::unique_ptr<View>& view, const QString& path,
                    QSize size, int timeoutMs = 30000)
{
    workbench = std::make_unique<Workbench>();
    view = std::make_unique<View>(workbench.get());
    view->resize(size);
    view->show();
    workbench->open(path);
    return settled(*workbench, *view, timeoutMs);
}

} // namespace lundi::test
