// Metric plots under the flame chart and the correlation table, in the real window: an
// OpenMetrics exposition (a histogram whose p95/p99 fall in +Inf, with exemplars) and an OTLP
// trace whose id one exemplar names go through the real importers; the plots must share the
// chart's time axis both ways, warn about the +Inf bucket, and open the exemplar's trace.
// The demo incident's correlation table plots the series a click picks.

#include "correlationpanel.h"
#include "customplot.h"
#include "flamechartview.h"
#include "mainwindow.h"
#include "metricplotpanel.h"
#include "plugins/importfixture.h"
#include "sourcespanel.h"
#include "workbench.h"

#include <QApplication>
#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolTip>
#include <QTreeWidgetItemIterator>

using namespace lundi;

namespace {

constexpr qint64 S = 1'000'000'000;
const QString TraceId = QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");

// Scrapes at 100, 115 and 130 s: 8 fast and 2 slower requests, then 10 above the highest bound.
const QByteArray Exposition = R"(# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 0 100
http_request_duration_seconds_bucket{le="1"} 0 100
http_request_duration_seconds_bucket{le="+Inf"} 0 100
http_request_duration_seconds_bucket{le="0.1"} 8 115
http_request_duration_seconds_bucket{le="1"} 10 115 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.5 112
http_request_duration_seconds_bucket{le="+Inf"} 10 115
http_request_duration_seconds_bucket{le="0.1"} 8 130
http_request_duration_seconds_bucket{le="1"} 10 130
http_request_duration_seconds_bucket{le="+Inf"} 20 130 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 9.6 129.6
# TYPE queue_depth gauge
queue_depth 1 100
queue_depth 4 115
queue_depth 2 130
# EOF
)";

// The slow request the second exemplar points at: 120 s to 129.6 s.
const QByteArray Trace = R"({"resourceSpans":[{"resource":{"attributes":[
  {"key":"service.name","value":{"stringValue":"api"}}]},"scopeSpans":[{"spans":[
  {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"GET /ask",
   "startTimeUnixNano":"120000000000","endTimeUnixNano":"129600000000"},
  {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b8","parentSpanId":"00f067aa0ba902b7",
   "name":"dlp.inspect","startTimeUnixNano":"120500000000","endTimeUnixNano":"129000000000"}]}]}]})";

bool settle(MainWindow& window)
{
    return QTest::qWaitFor([&] { return window.isSettled(); }, 120000);
}

// The window shown, the incident open and settled, the flame chart in front.
bool openOnTheChart(MainWindow& window, const QString& incident)
{
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    window.openIncident(incident);
    if (!settle(window))
        return false;
    window.showView(MainWindow::View::FlameChart);
    return true;
}

SeriesId metricNamed(const MetricPlotPanel& panel, const QString& name)
{
    for (const MetricCatalog::Metric& metric : panel.catalog()) {
        if (metric.name == name)
            return metric.series.front();
    }
    return 0;
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->name() == name)
            return plot->graph(i);
    }
    return nullptr;
}

QPoint pixelOf(QCustomPlot* plot, double key, double value)
{
    return QPoint(int(std::lround(plot->xAxis->coordToPixel(key))),
                  int(std::lround(plot->yAxis->coordToPixel(value))));
}

} // namespace

class TestMetricPlots : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("LUNDI_PLUGIN_PATH", LUNDI_PLUGIN_DIR);
        m_fixture.importAs(QStringLiteral("scrapes.om"), Exposition);
        m_fixture.importAs(QStringLiteral("trace.json"), Trace);
        const Store store = m_fixture.store();
        for (const auto& [span, trace] : store.rootTraceIds()) {
            if (trace == TraceId)
                m_root = span;
        }
        QVERIFY(m_root);
    }

    void histogramWarnsAndExemplarsOpenTheirTrace()
    {
        MainWindow window(MainWindow::Session::Fresh);
        QVERIFY(openOnTheChart(window, m_fixture.dbPath()));
        MetricPlotPanel* panel = window.metricPlots();
        QVERIFY(panel->isHidden()); // nothing plotted yet
        const SeriesId histogram = metricNamed(*panel, QStringLiteral("http_request_duration_seconds"));
        QVERIFY(histogram);
        QCOMPARE(panel->plotByName(QStringLiteral("http_request_duration_seconds")), 1);
        QVERIFY(settle(window));
        QVERIFY(panel->isVisible());

        // The scrape at 130 s put p50, p95 and p99 in +Inf: said above the plot, in words.
        const QString warning = panel->warningOf(histogram);
        QVERIFY2(warning.contains(QLatin1String("+Inf")), qPrintable(warning));
        QVERIFY2(warning.contains(QLatin1String("1 s, the highest finite bound")), qPrintable(warning));
        QVERIFY2(warning.contains(QLatin1String("p99 at 1 of 2 points")), qPrintable(warning));
        QCustomPlot* plot = panel->plotOf(histogram);
        QCOMPARE(plot->yAxis->label(), QStringLiteral("s"));
        QVERIFY(graphNamed(plot, QStringLiteral("p95")));
        QCOMPARE(graphNamed(plot, QStringLiteral("p95"))->dataCount(), 2);
        QCPGraph* exemplars = graphNamed(plot, QStringLiteral("exemplars"));
        QVERIFY(exemplars);
        QCOMPARE(exemplars->dataCount(), 2);

        // The plots show the chart's window; show the stretch of the exemplars.
        window.flameChart()->setVisibleWindow({110 * S, 130 * S});
        QCOMPARE(plot->xAxis->range().lower,
                 double(110 * S - window.workbench()->snapshot()->timeRange.startNs) / 1e9);
        plot->replot();

        // Hovering over an exemplar tells its value and trace; a click on the exemplar of the slow
        // request selects its root span.
        const auto second = exemplars->data()->at(1);
        QTest::mouseMove(plot, pixelOf(plot, second->key, second->value));
        QTRY_VERIFY(QToolTip::text().contains(TraceId));
        QVERIFY2(QToolTip::text().contains(QLatin1String("9.6 s at 1970-01-01T00:02:09.600Z")),
                 qPrintable(QToolTip::text()));
        QTest::mouseClick(plot, Qt::LeftButton, {}, pixelOf(plot, second->key, second->value));
        QCOMPARE(window.workbench()->state()->selectedSpan(), m_root);
        QVERIFY(window.statusBar()->currentMessage().contains(TraceId));
        // The other exemplar's trace was never imported: the status bar says so. (Selecting the
        // span may have moved the window to it: show the exemplars again.)
        window.flameChart()->setVisibleWindow({110 * S, 130 * S});
        plot->replot();
        const auto first = exemplars->data()->at(0);
        // (Later than a double click's interval: QCustomPlot reports no click for a double click.)
        QTest::mouseClick(plot, Qt::LeftButton, {}, pixelOf(plot, first->key, first->value),
                          QApplication::doubleClickInterval() + 100);
        QCOMPARE(window.workbench()->state()->selectedSpan(), m_root);
        QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("No span of this incident")),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    void plotsAndChartShareTheTimeAxis()
    {
        MainWindow window(MainWindow::Session::Fresh);
        QVERIFY(openOnTheChart(window, m_fixture.dbPath()));
        MetricPlotPanel* panel = window.metricPlots();
        FlameChartView* chart = window.flameChart();

        // Ticking the gauge in Sources plots it; the plot's x pixels are the chart's.
        const SeriesId gauge = metricNamed(*panel, QStringLiteral("queue_depth"));
        QTreeWidgetItem* item = nullptr;
        for (QTreeWidgetItemIterator it(window.sources()); *it; ++it) {
            if ((*it)->text(0).startsWith(QLatin1String("queue_depth")))
                item = *it;
        }
        QVERIFY(item);
        item->setCheckState(0, Qt::Checked);
        QCOMPARE(panel->plotted(), QList<SeriesId>{gauge});
        QVERIFY(settle(window));
        QCustomPlot* plot = panel->plotOf(gauge);
        QTRY_COMPARE(plot->mapTo(&window, plot->axisRect()->rect().topLeft()).x(),
                     chart->mapTo(&window, chart->timeArea().topLeft()).x());
        QTRY_COMPARE(plot->mapTo(&window, plot->axisRect()->rect().topRight()).x(),
                     chart->mapTo(&window, chart->timeArea().topRight()).x());

        // The chart moves the plot...
        const qint64 origin = window.workbench()->snapshot()->timeRange.startNs;
        chart->setVisibleWindow({105 * S, 125 * S});
        QCOMPARE(plot->xAxis->range().lower, double(105 * S - origin) / 1e9);
        QCOMPARE(plot->xAxis->range().upper, double(125 * S - origin) / 1e9);
        // Its ticks are the chart's grid (a line every 100 px or more, on round UTC times),
        // labelled as the chart's ruler labels them.
        plot->replot();
        QCOMPARE(plot->xAxis->tickVectorLabels(),
                 (QList<QString>{QStringLiteral("00:01:45"), QStringLiteral("00:01:50"),
                                 QStringLiteral("00:01:55"), QStringLiteral("00:02:00"),
                                 QStringLiteral("00:02:05")}));
        // The selected range is shaded in the plot as in the chart.
        window.workbench()->state()->setTimeRange({110 * S, 115 * S});
        QCOMPARE(plot->itemCount(), 1);
        auto* selection = qobject_cast<QCPItemRect*>(plot->item(0));
        QVERIFY(selection && selection->visible());
        QCOMPARE(selection->topLeft->coords().x(), double(110 * S - origin) / 1e9);
        QCOMPARE(selection->bottomRight->coords().x(), double(115 * S - origin) / 1e9);
        window.workbench()->state()->setTimeRange({});
        QVERIFY(!selection->visible());
        // ...and a zoom or drag in the plot moves the chart.
        plot->xAxis->setRange(double(110 * S - origin) / 1e9, double(120 * S - origin) / 1e9);
        QCOMPARE(chart->visibleWindow().startNs, 110 * S);
        QCOMPARE(chart->visibleWindow().endNs, 120 * S);

        // Unticking removes the plot; closing it unticks.
        item->setCheckState(0, Qt::Unchecked);
        QVERIFY(panel->plotted().isEmpty());
        QVERIFY(panel->isHidden());
        panel->setPlotted(gauge, true);
        QCOMPARE(item->checkState(0), Qt::Checked);
        panel->setPlotted(gauge, false);
        QCOMPARE(item->checkState(0), Qt::Unchecked);
    }

    // The demo's correlation table puts the DLP vendor's latency first; a click plots it.
    void correlationRowPlotsItsSeries()
    {
        MainWindow window(MainWindow::Session::Fresh);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openDemo();
        QVERIFY(settle(window));
        CorrelationPanel* correlation = window.correlation();
        QTableWidget* table = correlation->table();
        QCOMPARE(table->rowCount(), 30);
        const Correlation::Row& top = correlation->result().rows.front();
        QVERIFY2(QString::fromUtf8(top.labelsJson).contains(QLatin1String("api.dlp-vendor.example")),
                 top.labelsJson.constData());
        QVERIFY(top.rho > 0.8);
        window.showView(MainWindow::View::FlameGraph);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualItemRect(table->item(0, 3)).center());
        QCOMPARE(window.metricPlots()->plotted(), QList<SeriesId>{top.series});
        QVERIFY(window.flameChart()->isVisible());
    }

  private:
    QTemporaryDir m_dir;
    test::Fixture m_fixture;
    SpanId m_root = 0;
};

QTEST_MAIN(TestMetricPlots)
#include "tst_metricplots.moc"
