// The Breakdown view on an incident written here with known answers: ten requests of 100 ms to
// 1 s, each 70 % in a PII scan, and two slow ones on a second service: what it shows, what the
// SLO it is given says, and how it follows the selected range and the hidden tracks.

#include "breakdownview.h"
#include "classifier.h"
#include "customplot.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/store.h"
#include "viewonincident.h"
#include "workbench.h"

#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

constexpr qint64 T0 = 1'763'280'000'000'000'000; // 2025-11-16 08:00 UTC
constexpr qint64 Ms = 1'000'000;
constexpr qint64 S = 1000 * Ms;

// Track 1, "gateway": request i (0..9) starts at T0 + i s and lasts (i + 1) * 100 ms, its first
// 70 % a pii_scan child. Track 2, "batch": two requests of 20 s at T0 + 5.5 s and T0 + 6.5 s.
void writeIncident(Store& store)
{
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(
            QStringLiteral("test"), QStringLiteral("breakdown"), "breakdown", {}, [](Sink& sink) {
                const TrackId gateway =
                    sink.addTrack({TrackKind::Service, QStringLiteral("gateway"), {}, {}, 0});
                const TrackId batch = sink.addTrack({TrackKind::Service, QStringLiteral("batch"), {}, {}, 1});
                const StringId request = sink.intern("POST /v1/ask");
                const StringId scan = sink.intern("pii_scan");
                const StringId query = sink.intern("SELECT stock");
                for (qint64 i = 0; i < 10; ++i) {
                    SpanSpec root;
                    root.track = gateway;
                    root.name = request;
                    root.startNs = T0 + i * S;
                    root.durNs = (i + 1) * 100 * Ms;
                    SpanSpec child = root;
                    child.parent = sink.addSpan(root);
                    child.name = scan;
                    child.durNs = root.durNs * 7 / 10;
                    sink.addSpan(child);
                }
                for (qint64 i = 0; i < 2; ++i) {
                    SpanSpec root;
                    root.track = batch;
                    root.name = query;
                    root.startNs = T0 + 5500 * Ms + i * S;
                    root.durNs = 20 * S;
                    sink.addSpan(root);
                }
            });
}

QStringList row(const QTableWidget& table, int r)
{
    QStringList cells;
    for (int c = 0; c < table.columnCount(); ++c)
        cells.append(table.item(r, c) ? table.item(r, c)->text() : QString());
    return cells;
}

} // namespace

class TestBreakdownView : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("breakdown.lundi"));
        Store store(m_path);
        writeIncident(store);
    }

    void init() { QVERIFY(test::showOnIncident(m_workbench, m_view, m_path, {1200, 800})); }

    void cleanup()
    {
        m_view.reset();
        m_workbench.reset();
    }

    void showsTheRequests()
    {
        const auto overview = m_view->overview();
        QVERIFY(overview);
        QCOMPARE(overview->summary.requests, 12);
        // p50 of 100..1000 ms and 20 s twice: the 6th of 12 is 600 ms; p95 the 12th.
        QVERIFY2(m_view->summary()->text().startsWith(QStringLiteral("12 requests started")),
                 qPrintable(m_view->summary()->text()));
        QVERIFY2(m_view->summary()->text().contains(QStringLiteral("Latency p50 600.000 ms, p95 20.000 s")),
                 qPrintable(m_view->summary()->text()));

        // Storage first: 40 s of the 45.5 s of critical path; compliance 70 % of the 5.5 s left.
        const QTableWidget& table = *m_view->table();
        QCOMPARE(table.rowCount(), 3);
        QCOMPARE(row(table, 0),
                 (QStringList{QStringLiteral("storage"), QStringLiteral("40.000 s (87.9 %)"),
                              QStringLiteral("20.000 s"), QStringLiteral("40.000 s (87.9 %)")}));
        QCOMPARE(row(table, 1).mid(0, 2),
                 (QStringList{QStringLiteral("compliance"), QStringLiteral("3.850 s (8.5 %)")}));
        QCOMPARE(row(table, 2).mid(0, 2),
                 (QStringList{QStringLiteral("api"), QStringLiteral("1.650 s (3.6 %)")}));

        // Stacked bars of the categories with time, p50/p95/p99 and the SLO, the histogram split
        // at the SLO.
        QCOMPARE(m_view->slowestPlot()->plottableCount(), 3);
        QCOMPARE(m_view->percentilePlot()->graphCount(), 4);
        QCOMPARE(m_view->histogramPlot()->plottableCount(), 2);
    }

    void sloShare_data()
    {
        QTest::addColumn<QString>("slo");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("histogramBars");
        // Over is strictly longer: 500 ms leaves 600 ms .. 1 s and the two 20 s requests.
        QTest::newRow("500ms") << QStringLiteral("500ms")
                               << QStringLiteral("58.3 % of the requests (7) took longer") << 2;
        QTest::newRow("at a request's latency")
            << QStringLiteral("1s") << QStringLiteral("16.7 % of the requests (2) took longer") << 2;
        QTest::newRow("above all") << QStringLiteral("1min")
                                   << QStringLiteral("0.0 % of the requests (0) took longer") << 2;
        QTest::newRow("not a duration")
            << QStringLiteral("soon") << QStringLiteral("not a duration: type 2s, 500ms or 1.5min") << 1;
        QTest::newRow("none") << QString() << QStringLiteral("none") << 1;
    }

    void sloShare()
    {
        QFETCH(QString, slo);
        QFETCH(QString, expected);
        QFETCH(int, histogramBars);
        m_view->setSlo(slo);
        QCOMPARE(m_view->sloSummary()->text(), expected);
        QCOMPARE(m_view->histogramPlot()->plottableCount(), histogramBars);
        QCOMPARE(m_view->percentilePlot()->graphCount(), 3 + (histogramBars - 1));
    }

    void followsTheRange()
    {
        // The first five gateway requests: 100..500 ms, all api and compliance.
        m_workbench->state()->setTimeRange({T0, T0 + 5 * S});
        QVERIFY(settle());
        QCOMPARE(m_view->overview()->summary.requests, 5);
        QCOMPARE(m_view->table()->rowCount(), 2);
        QCOMPARE(row(*m_view->table(), 0).mid(0, 2),
                 (QStringList{QStringLiteral("compliance"), QStringLiteral("1.050 s (70.0 %)")}));
        // Buckets of 100 ms: at most 60 over 5 s.
        QCOMPARE(m_view->overview()->stepNs, 100 * Ms);
    }

    void followsHiddenTracks()
    {
        const auto snapshot = m_workbench->snapshot();
        TrackId gateway = 0;
        for (const Track& track : snapshot->tracks) {
            if (track.name == QLatin1String("gateway"))
                gateway = track.id;
        }
        QVERIFY(gateway);
        m_workbench->state()->setHiddenTracks({gateway});
        QVERIFY(settle());
        QCOMPARE(m_view->overview()->summary.requests, 2);
        QCOMPARE(m_view->table()->rowCount(), 1);

        // A range with no request left: said in one sentence, and nothing drawn.
        m_workbench->state()->setTimeRange({T0, T0 + 5 * S});
        QVERIFY(settle());
        QVERIFY2(m_view->summary()->text().startsWith(QStringLiteral("No request (root span) starts in")),
                 qPrintable(m_view->summary()->text()));
        QCOMPARE(m_view->table()->rowCount(), 0);
        QCOMPARE(m_view->slowestPlot()->plottableCount(), 0);
        QCOMPARE(m_view->histogramPlot()->plottableCount(), 0);
    }

    void clickOnABarSelectsItsBucket()
    {
        // Buckets of 500 ms from T0: the first batch request (20 s, from 5.5 s) is bucket 11's
        // tallest bar; a click half-way up it selects [5.5 s, 6 s), where only it starts.
        const auto overview = m_view->overview();
        QCOMPARE(overview->stepNs, 500 * Ms);
        QCOMPARE(overview->buckets[11].startNs, T0 + 5500 * Ms);
        QCustomPlot* plot = m_view->slowestPlot();
        const double key = double(T0 + 5750 * Ms) / 1e9;
        const QPoint at(int(plot->xAxis->coordToPixel(key)), int(plot->yAxis->coordToPixel(10)));
        QTest::mouseClick(plot, Qt::LeftButton, {}, at);
        QCOMPARE(m_workbench->state()->timeRange().startNs, T0 + 5500 * Ms);
        QCOMPARE(m_workbench->state()->timeRange().endNs, T0 + 6000 * Ms);
        QVERIFY(settle());
        QCOMPARE(m_view->overview()->summary.requests, 1);

        // Beside the bars, nothing changes.
        QTest::mouseClick(plot, Qt::LeftButton, {}, QPoint(plot->width() - 5, plot->height() / 2));
        QCOMPARE(m_workbench->state()->timeRange().startNs, T0 + 5500 * Ms);
    }

    void toolTips()
    {
        // Bucket 11 holds the first batch request alone; the histogram's bin 7 is 20 s to 50 s
        // (1-2-5 bins from 100 ms), where both batch requests fall.
        QCustomPlot* slowest = m_view->slowestPlot();
        const double middle = double(T0 + 5750 * Ms) / 1e9;
        const QPointF overBucket(slowest->xAxis->coordToPixel(middle), slowest->yAxis->coordToPixel(10));
        QCOMPARE(m_view->toolTipAt(slowest, overBucket),
                 QStringLiteral("2025-11-16T08:00:05.500Z + 500 ms: 1 request\n"
                                "the slowest 1: 20.000 s on the critical path on average\n"
                                "  storage: 20.000 s\n"
                                "Click the bar to select this time range in every view (Esc goes back)."));
        QCustomPlot* percentiles = m_view->percentilePlot();
        QVERIFY(m_view
                    ->toolTipAt(percentiles, QPointF(percentiles->xAxis->coordToPixel(middle),
                                                     percentiles->yAxis->coordToPixel(10)))
                    .contains(QStringLiteral("\np50 20.000 s, p95 20.000 s, p99 20.000 s\n")));
        QCustomPlot* histogram = m_view->histogramPlot();
        QCOMPARE(m_view->toolTipAt(histogram, QPointF(histogram->xAxis->coordToPixel(7),
                                                      histogram->yAxis->coordToPixel(1))),
                 QStringLiteral("20 s to 50 s: 2 requests"));
        // Outside the axes: nothing.
        QVERIFY(m_view->toolTipAt(histogram, QPointF(1, 1)).isEmpty());
    }

  private:
    bool settle() { return test::settled(*m_workbench, *m_view); }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<BreakdownView> m_view;
};

QTEST_MAIN(TestBreakdownView)
#include "tst_breakdownview.moc"
