// The report in process: its model on the demo incident (the planted cause, where the change
// started, the contributors and the evidence), its pages on A4 and Letter with nothing drawn in
// the margins (no text or chart runs off the page, however long a span's name), the phases of
// HTTP probes, and File > Export report's dialog with its preview.

#include "bench/benchincident.h"
#include "demofile.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "report/report.h"
#include "report/reportdialog.h"
#include "report/reportwriter.h"
#include "store/store.h"
#include "workbench.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lundi;

namespace {

qint64 utcNs(const char* text)
{
    return QDateTime::fromString(QLatin1String(text), Qt::ISODate).toMSecsSinceEpoch() * 1'000'000;
}

const SpanSelection BaselineWeek{std::nullopt,
                                 {utcNs("2026-11-16T08:00:00Z"), utcNs("2026-11-16T09:00:00Z")}};

// Writes spans through the ingest path, as an importer would, into a new incident.
void writeIncident(const QString& path, const QString& format, const std::function<void(Sink&)>& generate)
{
    Store store(path);
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier).importGenerated(format, path, QByteArray("identity"), {}, generate);
}

// Whether a page has nothing but white in its margins: the header and footer stay within their
// bands and the content within its column.
bool marginsBlank(const QImage& page, QString* where)
{
    constexpr int Side = 46; // the content starts 56 px from the edges, the header 28 px
    constexpr int Edge = 18;
    for (int y = 0; y < page.height(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(page.constScanLine(y));
        for (int x = 0; x < page.width(); ++x) {
            const bool margin = x < Side || x >= page.width() - Side || y < Edge || y >= page.height() - Edge;
            if (margin && (line[x] & 0xffffff) != 0xffffff) {
                *where = QStringLiteral("ink at %1,%2").arg(x).arg(y);
                return false;
            }
        }
    }
    return true;
}

// Whether the content area (under the header, over the footer) has anything on it.
bool hasInk(const QImage& page)
{
    for (int y = 64; y < page.height() - 64; ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(page.constScanLine(y));
        for (int x = 0; x < page.width(); ++x) {
            if ((line[x] & 0xffffff) != 0xffffff)
                return true;
        }
    }
    return false;
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(QStringLiteral("demo.lundi"));
        Store store(m_demo);
        test::writeDemoIncident(store);
    }

    // README's story, as the report tells it: the remote DLP call, new since the baseline week,
    // from the first minute of the incident hour.
    void demo()
    {
        const Store store(m_demo);
        Report::Options options;
        options.baseline = BaselineWeek;
        const Report report = Report::build(store, options);

        QCOMPARE(report.title, QStringLiteral("Incident report: demo"));
        QCOMPARE(report.incident.label, QStringLiteral("after the baseline"));
        QCOMPARE(report.incident.window.startNs, utcNs("2026-11-23T08:00:00Z"));
        QVERIFY(report.incident.window.endNs > utcNs("2026-11-23T09:00:00Z"));
        QVERIFY(report.incident.window.endNs <= utcNs("2026-11-23T09:05:00Z"));
        QCOMPARE(report.incident.overview.stepNs, qint64(60'000'000'000));
        QVERIFY(report.baseline);
        QCOMPARE(report.baseline->overview.summary.requests, report.suspects.baseline->traces);
        QCOMPARE(report.incident.overview.summary.requests, report.suspects.incident.traces);
        QVERIFY(report.incident.overview.summary.requests > 4000);

        QVERIFY(!report.suspects.suspects.empty());
        QCOMPARE(report.suspectNames.front(), QStringLiteral("dlp.inspect_content"));
        QVERIFY2(report.headline.startsWith(
                     QStringLiteral("The main cause is dlp.inspect_content (compliance): ")),
                 qPrintable(report.headline));
        // Against the baseline's p95, every minute of the hour is slow: the change starts at 08:00.
        QVERIFY(report.timeline.referenceLabel.startsWith(QStringLiteral("the baseline's p95")));
        QCOMPARE(report.timeline.changeStartNs, std::optional<qint64>(utcNs("2026-11-23T08:00:00Z")));
        QVERIFY(report.affected > 4000);
        QCOMPARE(report.timeline.metrics.size(), size_t(1));
        QVERIFY2(report.timeline.metrics.front().title.contains(QStringLiteral("api.dlp-vendor.example")),
                 qPrintable(report.timeline.metrics.front().title));
        QVERIFY(!report.timeline.metrics.front().plot.lines.empty());

        QVERIFY(report.diff);
        QCOMPARE(report.categories.front().category, Category::Compliance);
        QVERIFY(report.paths.front().name.endsWith(QStringLiteral(" › dlp.inspect_content")));
        QCOMPARE(report.paths.front().status, QStringLiteral("new"));
        QCOMPARE(report.paths.front().baselineNs, qint64(0));
        QVERIFY(report.paths.front().share > 0.8);
        QCOMPARE(report.compliance.front().name, QStringLiteral("dlp.inspect_content"));
        QVERIFY(report.compliance.front().criticalShare > 0.8);
        QVERIFY(report.complianceShare > 0.9);
        QVERIFY(report.probes.empty());
        QVERIFY(report.correlated.size() >= 5);
        for (size_t i = 1; i < report.correlated.size(); ++i)
            QVERIFY(std::abs(report.correlated[i - 1].rho) >= std::abs(report.correlated[i].rho));

        QVERIFY(report.caveats.contains(QStringLiteral("The importers warned about nothing.")));
        QCOMPARE(report.sources.size(), size_t(1));
        QCOMPARE(report.sources.front().source.sha256.size(), 64);
        QVERIFY(report.rules.size() > 10);

        // Without a baseline: the flame graph of the incident, the slowest requests' time.
        const Report alone = Report::build(store, {});
        QVERIFY(!alone.diff);
        QVERIFY(alone.flame);
        QVERIFY(!alone.baseline);
        QCOMPARE(alone.suspectNames.front(), QStringLiteral("dlp.inspect_content"));
        QCOMPARE(alone.categories.front().category, Category::Compliance);
        QVERIFY(!alone.timeline.changeStartNs);
        // The whole incident holds the baseline week: the timeline draws the incident hour.
        QVERIFY(!alone.timeline.focus.isEmpty());
        QVERIFY(alone.timeline.window.startNs > utcNs("2026-11-23T07:50:00Z"));
        QVERIFY(alone.timeline.window.startNs <= utcNs("2026-11-23T08:00:00Z"));
        QCOMPARE(alone.timeline.overview.stepNs, qint64(60'000'000'000));
        QVERIFY(report.timeline.focus.isEmpty());
    }

    void pages_data()
    {
        QTest::addColumn<bool>("baseline");
        QTest::addColumn<int>("page");
        QTest::newRow("baseline, A4") << true << int(QPageSize::A4);
        QTest::newRow("baseline, Letter") << true << int(QPageSize::Letter);
        QTest::newRow("no baseline, A4") << false << int(QPageSize::A4);
        QTest::newRow("no baseline, Letter") << false << int(QPageSize::Letter);
    }

    // Every page has content and nothing in its margins; the PDF has as many pages as the preview.
    void pages()
    {
        QFETCH(bool, baseline);
        QFETCH(int, page);
        const Store store(m_demo);
        Report::Options options;
        if (baseline)
            options.baseline = BaselineWeek;
        const Report report = Report::build(store, options);
        const ReportWriter writer(report, QPageSize::PageSizeId(page));
        const std::vector<QImage> images = writer.pageImages(1);
        QVERIFY(images.size() >= 3 && images.size() <= 8);
        const QSize size =
            (QPageSize(QPageSize::PageSizeId(page)).size(QPageSize::Inch) * ReportWriter::Dpi).toSize();
        for (const QImage& image : images) {
            QCOMPARE(image.size(), size);
            QVERIFY(hasInk(image));
            QString where;
            QVERIFY2(marginsBlank(image, &where), qPrintable(where));
        }
        const QString pdf = m_dir.filePath(QStringLiteral("pages.pdf"));
        QString error;
        QCOMPARE(writer.writePdf(pdf, &error), int(images.size()));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");

        // The same report twice: the same pages.
        QVERIFY(writer.pageImages(0.5) ==
                ReportWriter(Report::build(store, options), QPageSize::PageSizeId(page)).pageImages(0.5));
    }

    // A span name far wider than the page, with and without spaces, stays inside it.
    void longNames()
    {
        const QString path = m_dir.filePath(QStringLiteral("long.lundi"));
        const std::string unbroken = "policy." + std::string(600, 'x');
        std::string spaced;
        for (int i = 0; i < 60; ++i)
            spaced += "compliance check number " + std::to_string(i) + " ";
        writeIncident(path, QStringLiteral("chrome-trace"), [&](Sink& sink) {
            const TrackId track = sink.addTrack({TrackKind::Thread, QStringLiteral("worker"), {}, {}, 0});
            const StringId handler = sink.intern("handler");
            const StringId names[] = {sink.intern(unbroken), sink.intern(spaced)};
            for (int i = 0; i < 40; ++i) {
                SpanSpec root;
                root.track = track;
                root.name = handler;
                root.startNs = 1'800'000'000'000'000'000 + qint64(i) * 1'000'000'000;
                root.durNs = 900'000'000;
                const SpanId parent = sink.addSpan(root);
                for (int c = 0; c < 2; ++c) {
                    SpanSpec child = root;
                    child.parent = parent;
                    child.name = names[c];
                    child.startNs = root.startNs + c * 400'000'000;
                    child.durNs = 300'000'000;
                    sink.addSpan(child);
                }
            }
        });
        const Store store(path);
        const Report report = Report::build(store, {});
        QCOMPARE(report.compliance.size(), size_t(2));
        for (const QPageSize::PageSizeId page : {QPageSize::A4, QPageSize::Letter}) {
            for (const QImage& image : ReportWriter(report, page).pageImages(1)) {
                QString where;
                QVERIFY2(marginsBlank(image, &where), qPrintable(where));
            }
        }
    }

    // HTTP probe runs: a root span per run with its phases laid end to end.
    void probes()
    {
        const QString path = m_dir.filePath(QStringLiteral("probes.lundi"));
        writeIncident(path, QStringLiteral("probe-http"), [&](Sink& sink) {
            const TrackId track =
                sink.addTrack({TrackKind::Probe, QStringLiteral("https://api.example.invalid/"), {}, {}, 0});
            const StringId target = sink.intern("GET https://api.example.invalid/health");
            for (int run = 0; run < 3; ++run) {
                SpanSpec root;
                root.track = track;
                root.name = target;
                root.startNs = 1'800'000'000'000'000'000 + qint64(run) * 1'000'000'000;
                root.status = run == 2 ? SpanStatus::Error : SpanStatus::Ok;
                qint64 at = root.startNs;
                std::vector<SpanSpec> phases;
                for (size_t p = 0; p < Report::ProbePhases.size(); ++p) {
                    SpanSpec phase;
                    phase.track = track;
                    phase.name = sink.intern(Report::ProbePhases[p]);
                    phase.startNs = at;
                    phase.durNs = qint64(p + 1) * (run + 1) * 1'000'000; // 1-5 ms, twice that, thrice
                    at += phase.durNs;
                    phases.push_back(phase);
                }
                root.durNs = at - root.startNs;
                const SpanId parent = sink.addSpan(root);
                for (SpanSpec& phase : phases) {
                    phase.parent = parent;
                    sink.addSpan(phase);
                }
            }
        });
        const Store store(path);
        const Report report = Report::build(store, {});
        QCOMPARE(report.probes.size(), size_t(1));
        const Report::ProbeTarget& probe = report.probes.front();
        QCOMPARE(probe.target, QStringLiteral("GET https://api.example.invalid/health"));
        QCOMPARE(probe.runs, qint64(3));
        QCOMPARE(probe.failures, qint64(1));
        for (size_t p = 0; p < Report::ProbePhases.size(); ++p)
            QCOMPARE(probe.phaseP50Ns[p], qint64(p + 1) * 2'000'000); // the median run's
        QCOMPARE(probe.total.p50, qint64(30'000'000));
        QCOMPARE(probe.total.p95, qint64(45'000'000));
        for (const QImage& image : ReportWriter(report).pageImages(1)) {
            QString where;
            QVERIFY2(marginsBlank(image, &where), qPrintable(where));
        }
    }

    // Issue 7: the report of a 1M-span incident renders, every request counted (the time it
    // takes is lundi-bench-report's to measure, not a test's).
    void millionSpans()
    {
        const bench::IncidentShape shape;
        const std::vector<SpanRecord> spans = bench::spanRecords(1'000'000, shape, false);
        const auto roots = std::count_if(spans.begin(), spans.end(),
                                         [](const SpanRecord& span) { return span.parent == 0; });
        const QString path = m_dir.filePath(QStringLiteral("million.lundi"));
        bench::writeIncident(path, 1'000'000, shape);
        const Report report = Report::build(Store(path), {});
        QCOMPARE(report.incident.overview.summary.requests, qint64(roots));
        const int pages = ReportWriter(report).writePdf(m_dir.filePath(QStringLiteral("million.pdf")));
        QVERIFY2(pages >= 3 && pages <= 8, qPrintable(QString::number(pages)));
    }

    // File > Export report: the week-old baseline by default, a preview, and the PDF saved.
    void dialog()
    {
        Workbench workbench;
        workbench.open(m_demo);
        QVERIFY(QTest::qWaitFor([&] { return workbench.snapshot() && !workbench.busy(); }, 60000));
        ReportDialog dialog(&workbench);
        QCOMPARE(dialog.baselineChoice()->count(), 2); // none, the activity before the latest stretch
        QCOMPARE(dialog.baselineChoice()->currentIndex(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.previewPages() > 0 && !dialog.busy(), 60000);
        QVERIFY(dialog.report()->baseline);
        QCOMPARE(dialog.report()->suspectNames.front(), QStringLiteral("dlp.inspect_content"));
        const int pages = dialog.previewPages();

        dialog.baselineChoice()->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.busy() && dialog.report() && !dialog.report()->baseline, 60000);
        QVERIFY(dialog.previewPages() > 0);
        dialog.baselineChoice()->setCurrentIndex(1);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.busy() && dialog.report() && dialog.report()->baseline, 60000);
        QCOMPARE(dialog.previewPages(), pages);

        const QString pdf = m_dir.filePath(QStringLiteral("dialog.pdf"));
        QVERIFY(dialog.save(pdf));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
    }

  private:
    QTemporaryDir m_dir;
    QString m_demo;
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
