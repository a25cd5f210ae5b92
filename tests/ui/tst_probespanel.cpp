// The Probes dock against a real HTTP server on 127.0.0.1: a started probe fills its row, the
// incident gains a probe-http source whose spans the flame chart shows and follows as they land
// (unless the user moved back), and a stop stops the requests. Secrets are masked in the table and
// kept out of the saved probes and of the incident file; insecure probes wear their badge; a
// duplicate is a second probe; a GPU probe on a machine without nvidia-smi says so. A Prometheus
// scrape of a real exporter's /metrics fills one prometheus-scrape source that grows a sample a
// series a scrape.
//
// With LUNDI_PROBESPANEL_PNG set, the dock with a probe of each kind is rendered into that file,
// and the edit dialog of its first probe into the same name ending in -dialog.png, of its scrape
// into -scrape-dialog.png.

#include "customplot.h"
#include "flamechartview.h"
#include "mainwindow.h"
#include "metricplotpanel.h"
#include "probedialog.h"
#include "probespanel.h"
#include "store/store.h"
#include "support/httptestserver.h"
#include "support/nvidiasmistandin.h"
#include "workbench.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QLocale>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

const std::string Token = "s3cr3t-t0ken-value";
const std::string Password = "hunter2-pass";

bool settle(MainWindow& window)
{
    return QTest::qWaitFor([&] { return window.isSettled(); }, 60000);
}

// A probe of the server's path with an Authorization header and a token in the URL.
ProbeDefinition httpProbe(const test::HttpTestServer& server, const std::string& path)
{
    ProbeDefinition probe;
    probe.http.url = server.url(path + "?token=" + Token);
    probe.http.headers = {{"Authorization", "Bearer " + Token}, {"Accept", "text/plain"}};
    probe.interval = std::chrono::milliseconds(150);
    return probe;
}

// A TCP connect to a loopback port where nothing listens.
ProbeDefinition refusedTcpProbe()
{
    ProbeDefinition probe;
    probe.kind = ProbeDefinition::Kind::Tcp;
    probe.tcp.host = "127.0.0.1";
    probe.tcp.port = std::to_string(test::closedLoopbackPort());
    probe.interval = std::chrono::milliseconds(200);
    return probe;
}

const QString Exporter = QStringLiteral(LUNDI_CORPUS_DIR "/prometheus/nvgpuexp_h100_load.prom");

// A scrape of the server's /metrics, which serves Exporter, with a secret header.
ProbeDefinition scrapeProbe(test::HttpTestServer& server)
{
    server.serveFile("/metrics", Exporter.toStdString(), "text/plain; version=0.0.4");
    ProbeDefinition probe;
    probe.kind = ProbeDefinition::Kind::Scrape;
    probe.http.url = server.url("/metrics");
    probe.http.headers = {{"Authorization", "Bearer " + Token}};
    probe.interval = std::chrono::milliseconds(150);
    return probe;
}

QString cellText(const ProbesPanel& panel, int row, int column)
{
    const QTableWidgetItem* item = panel.table()->item(row, column);
    return item ? item->text() : QString();
}

// Every cell's text and tooltip of a row.
QString rowText(const ProbesPanel& panel, int row)
{
    QString text;
    for (int column = 0; column < ProbesPanel::ColumnCount; ++column) {
        if (const QTableWidgetItem* item = panel.table()->item(row, column))
            text += item->text() + QLatin1Char('|') + item->toolTip() + QLatin1Char('|');
    }
    return text;
}

QByteArray fileBytes(const QString& path)
{
    QByteArray bytes;
    for (const QString& suffix : {QString(), QStringLiteral("-wal")}) {
        QFile file(path + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

} // namespace

class TestProbesPanel : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("LUNDI_PLUGIN_PATH", LUNDI_PLUGIN_DIR);
    }

    void httpProbeGrowsTheIncidentLive()
    {
        test::HttpTestServer server;
        const QString incident = m_dir.filePath(QStringLiteral("live.lundi"));
        MainWindow window(MainWindow::Session::Fresh);
        window.resize(1400, 900);
        window.show();
        window.openIncident(incident);
        QVERIFY(settle(window));
        ProbesPanel* panel = window.probes();
        FlameChartView* chart = window.flameChart();

        const int row = panel->addProbe(httpProbe(server, "/status/200"));
        QCOMPARE(cellText(*panel, row, ProbesPanel::Status), QStringLiteral("stopped"));
        panel->start(row);
        QVERIFY(panel->isRunning(row));
        QCOMPARE(cellText(*panel, row, ProbesPanel::Status), QStringLiteral("running"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->runs(row) >= 3, 30000);
        QVERIFY(cellText(*panel, row, ProbesPanel::LastResult).startsWith(QStringLiteral("200 in ")));
        QCOMPARE(panel->successes(row), panel->runs(row));
        QCOMPARE(cellText(*panel, row, ProbesPanel::Success),
                 QStringLiteral("100.0% of %1").arg(panel->runs(row)));
        QCOMPARE(cellText(*panel, row, ProbesPanel::LastError), QString());

        // The secrets never show: the URL's token and the header's value are redacted.
        const QString shown = rowText(*panel, row);
        QVERIFY2(!shown.contains(QString::fromStdString(Token)), qPrintable(shown));
        QVERIFY(cellText(*panel, row, ProbesPanel::Target).contains(QStringLiteral("token=REDACTED")));
        QCOMPARE(cellText(*panel, row, ProbesPanel::Headers),
                 QStringLiteral("Authorization: REDACTED; Accept: text/plain"));

        // The reloads bring the probe's source and spans into the views.
        QTRY_VERIFY_WITH_TIMEOUT(window.workbench()->snapshot()->counts.spans >= 3, 30000);
        const auto snapshot = window.workbench()->snapshot();
        QCOMPARE(snapshot->sources.size(), 1);
        QCOMPARE(snapshot->sources.front().format, QStringLiteral("probe-http"));
        QVERIFY(!snapshot->sources.front().origin.contains(QString::fromStdString(Token)));

        // A plotted probe series grows with the reloads too.
        MetricPlotPanel* plots = window.metricPlots();
        QCOMPARE(plots->plotByName(QStringLiteral("probe_duration_seconds")), 1);
        const auto metric = std::find_if(plots->catalog().begin(), plots->catalog().end(), [](const auto& m) {
            return m.name == QLatin1String("probe_duration_seconds");
        });
        QVERIFY(metric != plots->catalog().end());
        QCustomPlot* plot = plots->plotOf(metric->series.front());
        QTRY_VERIFY_WITH_TIMEOUT(plots->isSettled() && plot->graph(0)->dataCount() > 0, 30000);
        const int points = plot->graph(0)->dataCount();
        QTRY_VERIFY_WITH_TIMEOUT(plot->graph(0)->dataCount() > points, 30000);

        // The chart shows the whole incident, the probe's first results, and grows with it.
        const auto present = [&] { return window.workbench()->snapshot()->timeRange; };
        QTRY_COMPARE_WITH_TIMEOUT(chart->visibleWindow().endNs, present().endNs, 30000);
        QCOMPARE(chart->visibleWindow().startNs, present().startNs);
        const TimeRange grown = chart->visibleWindow();
        QTRY_VERIFY_WITH_TIMEOUT(present().endNs > grown.endNs, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(chart->visibleWindow().endNs, present().endNs, 30000);
        QCOMPARE(chart->visibleWindow().startNs, grown.startNs);

        // Zoomed in on the present, it slides along, as wide as it was.
        const TimeRange now = present();
        const TimeRange latest{now.startNs + (now.endNs - now.startNs) / 2, now.endNs};
        chart->setVisibleWindow(latest);
        QTRY_VERIFY_WITH_TIMEOUT(present().endNs > latest.endNs, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(chart->visibleWindow().endNs, present().endNs, 30000);
        QCOMPARE(chart->visibleWindow().endNs - chart->visibleWindow().startNs,
                 latest.endNs - latest.startNs);

        // Moved back by the user, it stays while results keep landing.
        const TimeRange whole = window.workbench()->snapshot()->timeRange;
        const TimeRange back{whole.startNs, whole.startNs + (whole.endNs - whole.startNs) / 2};
        chart->setVisibleWindow(back);
        QTRY_VERIFY_WITH_TIMEOUT(window.workbench()->snapshot()->timeRange.endNs > whole.endNs, 30000);
        QCOMPARE(chart->visibleWindow().startNs, back.startNs);
        QCOMPARE(chart->visibleWindow().endNs, back.endNs);

        panel->stop(row);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(row), 30000);
        QVERIFY(!panel->isLive());
        QCOMPARE(cellText(*panel, row, ProbesPanel::Status), QStringLiteral("stopped"));
        const int requests = server.requestCount("/status/200");
        QTest::qWait(500); // three intervals: a probe still running would have sent more
        QCOMPARE(server.requestCount("/status/200"), requests);
        QVERIFY(settle(window));
        QCOMPARE(window.workbench()->snapshot()->counts.spans, Store(incident).counts().spans);

        // Neither the token nor the header's value reached the incident file.
        const QByteArray bytes = fileBytes(incident);
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!bytes.contains(QByteArray::fromStdString(Token)));
    }

    void failuresShowTheirClass()
    {
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("failures.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        const int row = panel.addProbe(refusedTcpProbe());
        panel.start(row);
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(row) >= 1, 30000);
        QCOMPARE(panel.successes(row), 0);
        QVERIFY2(cellText(panel, row, ProbesPanel::LastError).startsWith(QStringLiteral("refused: ")),
                 qPrintable(cellText(panel, row, ProbesPanel::LastError)));
        QVERIFY(cellText(panel, row, ProbesPanel::Success).startsWith(QStringLiteral("0")));
        panel.stop(row);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(row), 30000);
    }

    void insecureBadge()
    {
        Workbench workbench;
        ProbesPanel panel(&workbench, QString());
        ProbeDefinition verified;
        verified.http.url = "https://127.0.0.1:8443/health";
        ProbeDefinition insecure = verified;
        insecure.http.verifyTls = false;
        const int plain = panel.addProbe(verified);
        const int badge = panel.addProbe(insecure);
        QCOMPARE(cellText(panel, plain, ProbesPanel::Tls), QStringLiteral("verified"));
        QCOMPARE(cellText(panel, badge, ProbesPanel::Tls), QStringLiteral("insecure"));
        const QTableWidgetItem* item = panel.table()->item(badge, ProbesPanel::Tls);
        QCOMPARE(item->background().color(), QColor(0xc6, 0x28, 0x28));
        QVERIFY(item->font().bold());

        // The dialog's explicit switch is what makes it insecure.
        ProbeDialog dialog(verified);
        QVERIFY(!dialog.insecure()->isChecked());
        dialog.insecure()->setChecked(true);
        QCOMPARE(dialog.read(), QString());
        QVERIFY(!dialog.probe().http.verifyTls);
        QVERIFY(dialog.probe().insecure());
    }

    void duplicateMakesASecondProbe()
    {
        test::HttpTestServer server;
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("duplicate.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        const int first = panel.addProbe(httpProbe(server, "/status/200"));
        const int second = panel.duplicate(first);
        QCOMPARE(panel.count(), 2);
        QCOMPARE(second, 1);
        QCOMPARE(cellText(panel, second, ProbesPanel::Target), cellText(panel, first, ProbesPanel::Target));
        QCOMPARE(panel.probe(second).http.headers, panel.probe(first).http.headers);

        // Each runs on its own: two sessions, two sources.
        panel.start(first);
        panel.start(second);
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(first) >= 1 && panel.runs(second) >= 1, 30000);
        panel.stopAll();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isLive(), 30000);
        QCOMPARE(Store(workbench.path()).sources().size(), 2);
    }

    void savedProbesKeepNoSecrets()
    {
        test::HttpTestServer server;
        const QString saved = m_dir.filePath(QStringLiteral("config/probes.json"));
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("saved.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        {
            ProbesPanel panel(&workbench, saved);
            ProbeDefinition probe = httpProbe(server, "/status/200");
            probe.http.url = server.url("/status/200?token=" + Token);
            // userinfo too
            probe.http.url.insert(probe.http.url.find("//") + 2, "admin:" + Password + "@");
            panel.addProbe(probe);
        }
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(json.contains("127.0.0.1"));
        QVERIFY(!json.contains(QByteArray::fromStdString(Token)));
        QVERIFY(!json.contains(QByteArray::fromStdString(Password)));

        // Loaded again, it asks for its secrets before it runs.
        ProbesPanel panel(&workbench, saved);
        QCOMPARE(panel.count(), 1);
        QVERIFY(panel.probe(0).secretsMissing);
        panel.start(0);
        QVERIFY(!panel.isRunning(0));
        QCOMPARE(cellText(panel, 0, ProbesPanel::LastError),
                 QStringLiteral("This probe was saved without its secrets: edit it to type them again."));
        QCOMPARE(Store(workbench.path()).sources().size(), 0);
    }

    void dialogMasksSecrets()
    {
        ProbeDefinition probe;
        probe.http.url = "http://127.0.0.1:9/?token=" + Token;
        probe.http.headers = {{"Authorization", "Bearer " + Token}};
        ProbeDialog dialog(probe);
        QCOMPARE(dialog.url()->echoMode(), QLineEdit::PasswordEchoOnEdit);
        QCOMPARE(dialog.url()->displayText().contains(QString::fromStdString(Token)), false);
        // The value is kept as typed, drawn as dots.
        QCOMPARE(dialog.read(), QString());
        QCOMPARE(dialog.probe().http.headers, probe.http.headers);
        QCOMPARE(dialog.probe().http.url, probe.http.url);
        dialog.resize(600, 700);
        const QImage image = dialog.grab().toImage();
        QVERIFY(!image.isNull());

        // A URL without secrets is shown as it is.
        dialog.url()->setText(QStringLiteral("http://127.0.0.1:9/health"));
        QCOMPARE(dialog.url()->echoMode(), QLineEdit::Normal);
        dialog.interval()->setText(QStringLiteral("soon"));
        QVERIFY(dialog.read().startsWith(QStringLiteral("The interval \"soon\"")));
    }

    void gpuProbeWithoutNvidiaSmi()
    {
        QTemporaryDir empty;
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QFile::encodeName(empty.path()));
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("gpu.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        ProbeDefinition gpu;
        gpu.kind = ProbeDefinition::Kind::Gpu;
        const int row = panel.addProbe(gpu);
        panel.start(row);
        qputenv("PATH", path);
        QVERIFY(!panel.isRunning(row));
        QCOMPARE(cellText(panel, row, ProbesPanel::LastError),
                 QStringLiteral(
                     "nvidia-smi was not found on PATH: GPU sampling needs the NVIDIA driver's tools."));
        QCOMPARE(Store(workbench.path()).sources().size(), 0);
    }

    // nvidia-smi's real output replayed by a stand-in (no GPU here): a series per field.
    void gpuProbeFromStandIn()
    {
        QTemporaryDir dir;
        test::StandIn standIn(dir);
        standIn.replay({test::cellsAfterTimestamp(test::captureRow(QStringLiteral("idle :: query-gpu"))),
                        test::cellsAfterTimestamp(test::captureRow(QStringLiteral("load :: query-gpu")))});
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("gpu-stand-in.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        ProbeDefinition gpu;
        gpu.kind = ProbeDefinition::Kind::Gpu;
        gpu.gpu.program = standIn.path();
        gpu.gpu.fields = test::Fields;
        gpu.interval = std::chrono::milliseconds(100);
        const int row = panel.addProbe(gpu);
        QCOMPARE(cellText(panel, row, ProbesPanel::Target), QStringLiteral("GPU (nvidia-smi)"));
        panel.start(row);
        QVERIFY(panel.isRunning(row));
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(row) >= 2, 30000);
        QVERIFY2(cellText(panel, row, ProbesPanel::LastResult)
                     .contains(QStringLiteral(" samples of %1 series").arg(test::Measured.size())),
                 qPrintable(cellText(panel, row, ProbesPanel::LastResult)));
        QCOMPARE(cellText(panel, row, ProbesPanel::LastError), QString());
        panel.stop(row);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(row), 30000);
        QCOMPARE(cellText(panel, row, ProbesPanel::LastError), QString());
        QTRY_COMPARE_WITH_TIMEOUT(workbench.snapshot()->counts.series, qint64(test::Measured.size()), 30000);
        const QList<Source> sources = Store(workbench.path()).sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources.front().format, QStringLiteral("probe-gpu"));
    }

    void prometheusScrapeOfAnExporter()
    {
        QFile exposition(Exporter);
        QVERIFY(exposition.open(QIODevice::ReadOnly));
        // Its samples have no timestamps: a series a sample line, as tst_cli_scrape counts them,
        // and up and scrape_duration_seconds beside them.
        qint64 series = 2;
        for (const QByteArray& line : exposition.readAll().split('\n'))
            series += !line.trimmed().isEmpty() && !line.startsWith('#');
        QVERIFY(series > 50);
        test::HttpTestServer server;
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("scrape.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        const ProbeDefinition probe = scrapeProbe(server);
        const int row = panel.addProbe(probe);
        QCOMPARE(cellText(panel, row, ProbesPanel::Kind), QStringLiteral("SCRAPE"));
        QCOMPARE(cellText(panel, row, ProbesPanel::Target), QString::fromStdString(probe.http.url));
        QCOMPARE(cellText(panel, row, ProbesPanel::Headers), QStringLiteral("Authorization: REDACTED"));

        panel.start(row);
        QVERIFY(panel.isRunning(row));
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(row) >= 2, 30000);
        QVERIFY2(cellText(panel, row, ProbesPanel::LastResult)
                     .startsWith(QStringLiteral("%1 series in ").arg(QLocale().toString(series - 2))),
                 qPrintable(cellText(panel, row, ProbesPanel::LastResult)));
        QCOMPARE(panel.successes(row), panel.runs(row));
        QVERIFY(cellText(panel, row, ProbesPanel::Success).startsWith(QStringLiteral("100.0% of ")));
        QCOMPARE(cellText(panel, row, ProbesPanel::LastError), QString());
        QCOMPARE(server.exchanges().at(0).request.header("Authorization"), "Bearer " + Token);

        // Every scrape adds a sample to each series, never a series.
        QTRY_VERIFY_WITH_TIMEOUT(workbench.snapshot()->counts.samples >= 2 * series, 30000);
        QCOMPARE(workbench.snapshot()->counts.series, series);
        const qint64 samples = workbench.snapshot()->counts.samples;
        QTRY_VERIFY_WITH_TIMEOUT(workbench.snapshot()->counts.samples > samples, 30000);
        QCOMPARE(workbench.snapshot()->counts.series, series);

        panel.stop(row);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(row), 30000);
        const int requests = server.requestCount("/metrics");
        QTest::qWait(500); // three intervals: a scrape still running would have sent more
        QCOMPARE(server.requestCount("/metrics"), requests);

        const Store store(workbench.path());
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources.front().format, QStringLiteral("prometheus-scrape"));
        QCOMPARE(sources.front().origin, QString::fromStdString(probe.http.url));
        QCOMPARE(store.counts().series, series);
        const QList<Series> all = store.series();
        const auto up = std::find_if(all.begin(), all.end(),
                                     [](const Series& one) { return one.name == QLatin1String("up"); });
        QVERIFY(up != all.end());
        const std::vector<Sample> ups = store.samples(up->id);
        QVERIFY(ups.size() >= 3);
        QVERIFY(
            std::all_of(ups.begin(), ups.end(), [](const Sample& sample) { return sample.value == 1.0; }));
        QCOMPARE(store.counts().samples, qint64(ups.size()) * series);
        QVERIFY(!fileBytes(workbench.path()).contains(QByteArray::fromStdString(Token)));
    }

    // A scrape answered 503 is up 0 with the server's sentence, and goes on.
    void failedScrapeIsUpZero()
    {
        test::HttpTestServer server;
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("scrape-503.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        ProbeDefinition probe = scrapeProbe(server);
        probe.http.url = server.url("/status/503");
        const int row = panel.addProbe(probe);
        panel.start(row);
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(row) >= 2, 30000);
        QCOMPARE(panel.successes(row), 0);
        QVERIFY2(cellText(panel, row, ProbesPanel::LastResult).startsWith(QStringLiteral("up 0 after ")),
                 qPrintable(cellText(panel, row, ProbesPanel::LastResult)));
        QVERIFY2(cellText(panel, row, ProbesPanel::LastError).contains(QStringLiteral("503")),
                 qPrintable(cellText(panel, row, ProbesPanel::LastError)));
        panel.stop(row);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(row), 30000);
    }

    // The scrape kind: the HTTP page less what a GET does not take, every 15 s unless told.
    void dialogOfAScrape()
    {
        ProbeDialog dialog(ProbeDefinition{});
        QCOMPARE(dialog.interval()->text(), QStringLiteral("1s"));
        dialog.kind()->setCurrentIndex(int(ProbeDefinition::Kind::Scrape));
        QCOMPARE(dialog.interval()->text(), QStringLiteral("15s"));
        dialog.url()->setText(QStringLiteral("http://127.0.0.1:9100/metrics"));
        dialog.insecure()->setChecked(true);
        QCOMPARE(dialog.read(), QString());
        QCOMPARE(dialog.probe().kind, ProbeDefinition::Kind::Scrape);
        QCOMPARE(dialog.probe().http.method, std::string("GET"));
        QCOMPARE(dialog.probe().interval, std::chrono::milliseconds(15000));
        QVERIFY(dialog.probe().insecure());
        // Kept through the saved probes.
        const std::optional<ProbeDefinition> saved = ProbeDefinition::fromJson(dialog.probe().toJson());
        QVERIFY(saved && saved->kind == ProbeDefinition::Kind::Scrape);
        QCOMPARE(saved->http.url, dialog.probe().http.url);
        // A chosen interval stays when the kind changes.
        dialog.interval()->setText(QStringLiteral("30s"));
        dialog.kind()->setCurrentIndex(int(ProbeDefinition::Kind::Http));
        QCOMPARE(dialog.interval()->text(), QStringLiteral("30s"));
    }

    void render()
    {
        const QString png = qEnvironmentVariable("LUNDI_PROBESPANEL_PNG");
        if (png.isEmpty())
            QSKIP("LUNDI_PROBESPANEL_PNG is not set");
        test::HttpTestServer server;
        test::HttpTestServer tlsServer(test::HttpTestServer::Tls::On);
        QTemporaryDir empty;
        const QByteArray path = qgetenv("PATH");
        Workbench workbench;
        workbench.open(m_dir.filePath(QStringLiteral("render.lundi")));
        QTRY_VERIFY(workbench.snapshot() != nullptr);
        ProbesPanel panel(&workbench, QString());
        const int ok = panel.addProbe(httpProbe(server, "/delay/30"));
        ProbeDefinition insecure = httpProbe(server, "/status/503");
        insecure.http.url = tlsServer.url("/status/503");
        insecure.http.verifyTls = false;
        const int failing = panel.addProbe(insecure);
        const int tcp = panel.addProbe(refusedTcpProbe());
        ProbeDefinition gpu;
        gpu.kind = ProbeDefinition::Kind::Gpu;
        const int gpuRow = panel.addProbe(gpu);
        const int scrape = panel.addProbe(scrapeProbe(server));
        panel.addProbe(panel.probe(ok)); // a stopped duplicate
        for (const int row : {ok, failing, tcp, scrape})
            panel.start(row);
        qputenv("PATH", QFile::encodeName(empty.path()));
        panel.start(gpuRow);
        qputenv("PATH", path);
        QTRY_VERIFY_WITH_TIMEOUT(panel.runs(ok) >= 3 && panel.runs(failing) >= 2 && panel.runs(tcp) >= 2 &&
                                     panel.runs(scrape) >= 2,
                                 30000);
        panel.table()->selectRow(ok);
        panel.resize(1500, 260);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(png));
        // And the dialog of the first probe, its secrets as dots, beside it.
        ProbeDialog dialog(panel.probe(ok));
        dialog.resize(640, 720);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(
            dialog.grab().save(QString(png).replace(QLatin1String(".png"), QLatin1String("-dialog.png"))));
        ProbeDialog scrapeDialog(panel.probe(scrape));
        scrapeDialog.resize(640, 720);
        scrapeDialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scrapeDialog));
        QVERIFY(scrapeDialog.grab().save(
            QString(png).replace(QLatin1String(".png"), QLatin1String("-scrape-dialog.png"))));
        panel.stopAll();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isLive(), 30000);
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestProbesPanel)
#include "tst_probespanel.moc"
