#pragma once

// QCustomPlot for the views: qcustomplot.h is written with Qt's keywords (signals, foreach),
// which this build turns off (QT_NO_KEYWORDS, QT_NO_FOREACH) for its own code. They are
// defined for that header alone; include it through this file.

#define signals Q_SIGNALS
#define foreach(variable, container) for (variable : container)
#include <qcustomplot.h>
#undef foreach
#undef signals
