// The pulls from the window's File menu end to end against the test server on 127.0.0.1: a
// PromQL query over a window (its step proposed so that the window holds at most 1,000 points)
// and a Jaeger trace by id from the corpus land in the open incident as one source each, run by
// the import queue; a refused query (422) shows the API's sentence and writes nothing.

#include "mainwindow.h"
#include "pulldialog.h"
#include "store/store.h"
#include "support/httptestserver.h"
#include "workbench.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <atomic>
#include <cmath>
#include <mutex>

using namespace lundi;
using namespace lundi::test;

namespace {

const QString Metric = QStringLiteral("lundi_pull_metric");
const std::string Secret = "Bearer s3cr3t-t0ken-value";

bool settle(MainWindow& window)
{
    return QTest::qWaitFor([&] { return window.isSettled(); }, 60000);
}

qint64 ns(const char* utc)
{
    return QDateTime::fromString(QString::fromLatin1(utc), Qt::ISODate).toMSecsSinceEpoch() * 1'000'000;
}

QDateTime utc(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC);
}

TestResponse json(int status, const QJsonObject& object)
{
    return {status,
            {{"Content-Type", "application/json"}},
            QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString()};
}

void pressPull(PullDialog& dialog)
{
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY2(ok->isEnabled(), qPrintable(dialog.problem()));
    ok->click();
}

} // namespace

class TestPullDialog : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("LUNDI_PLUGIN_PATH", LUNDI_PLUGIN_DIR);
    }

    void proposesAStepOfAtMostAThousandPoints()
    {
        PullDialog empty(PullDialog::Kind::Prometheus, {});
        // The last hour: 3,600 s at 4 s is 901 points, at 3 s 1,201.
        QCOMPARE(empty.endField()->dateTime().toSecsSinceEpoch() -
                     empty.startField()->dateTime().toSecsSinceEpoch(),
                 3600);
        QCOMPARE(empty.stepField()->value(), 4);
        PullDialog incident(PullDialog::Kind::Prometheus,
                            {ns("2026-11-24T10:00:00Z"), ns("2026-11-24T12:00:00Z")});
        QCOMPARE(incident.startField()->dateTime(), utc(ns("2026-11-24T10:00:00Z")));
        QCOMPARE(incident.endField()->dateTime(), utc(ns("2026-11-24T12:00:00Z")));
        QCOMPARE(incident.stepField()->value(), 8); // 7,200 s: 901 points
        QVERIFY(!incident.problem().isEmpty());     // no URL, no query yet
        incident.urlField()->setText(QStringLiteral("http://127.0.0.1:9090"));
        incident.queryField()->setText(QStringLiteral("up"));
        QCOMPARE(incident.problem(), QString());
        incident.headerNameField()->setText(QStringLiteral("Authorization"));
        QCOMPARE(incident.headerValueField()->echoMode(), QLineEdit::Password);
        incident.headerNameField()->setText(QStringLiteral("X-Scope-OrgID"));
        QCOMPARE(incident.headerValueField()->echoMode(), QLineEdit::Normal);
    }

    void prometheusQueryLandsAsOneSource()
    {
        HttpTestServer server;
        std::atomic<qint64> served{0};
        std::mutex mutex;
        std::string authorization;
        server.route("/api/v1/query_range", [&](const TestRequest& request) {
            {
                const std::lock_guard lock(mutex);
                authorization = request.header("Authorization");
            }
            const QUrlQuery parameters(
                QString::fromStdString(request.method == "POST" ? request.body : request.query));
            const auto ms = [&](const char* name) {
                return qint64(std::llround(parameters.queryItemValue(QLatin1String(name)).toDouble() * 1000));
            };
            QJsonArray result;
            for (int instance = 0; instance < 2; ++instance) {
                QJsonArray values;
                for (qint64 t = ms("start"); t <= ms("end"); t += ms("step")) {
                    values.append(QJsonArray{double(t) / 1000, QString::number(instance * 1000 + t % 997)});
                    ++served;
                }
                result.append(QJsonObject{
                    {QStringLiteral("metric"),
                     QJsonObject{{QStringLiteral("__name__"), Metric},
                                 {QStringLiteral("instance"), QStringLiteral("i%1").arg(instance)}}},
                    {QStringLiteral("values"), values}});
            }
            return json(200, {{QStringLiteral("status"), QStringLiteral("success")},
                              {QStringLiteral("data"),
                               QJsonObject{{QStringLiteral("resultType"), QStringLiteral("matrix")},
                                           {QStringLiteral("result"), result}}}});
        });
        const QString incident = m_dir.filePath(QStringLiteral("prometheus.lundi"));
        MainWindow window(MainWindow::Session::Fresh);
        window.openIncident(incident);
        QVERIFY(settle(window));

        PullDialog* dialog = window.pull(PullDialog::Kind::Prometheus);
        QVERIFY(dialog);
        dialog->urlField()->setText(QString::fromStdString(server.url("")));
        dialog->queryField()->setText(Metric);
        dialog->startField()->setDateTime(utc(ns("2026-11-24T10:00:00Z")));
        dialog->endField()->setDateTime(utc(ns("2026-11-24T10:10:00Z")));
        QCOMPARE(dialog->stepField()->value(), 1); // 600 s: 601 points
        dialog->stepField()->setValue(15);
        dialog->headerNameField()->setText(QStringLiteral("Authorization"));
        dialog->headerValueField()->setText(QString::fromStdString(Secret));
        pressPull(*dialog);
        QVERIFY(settle(window));

        QCOMPARE(served.load(), qint64(2 * 41)); // 600 s at 15 s, both ends included
        {
            const std::lock_guard lock(mutex);
            QCOMPARE(authorization, Secret);
        }
        const Store store(incident);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources.front().format, QStringLiteral("prometheus-pull"));
        QVERIFY(!sources.front().origin.contains(QString::fromStdString(Secret)));
        QCOMPARE(store.counts().series, 2);
        QCOMPARE(store.counts().samples, served.load());
        QCOMPARE(window.workbench()->snapshot()->counts.samples, served.load());
    }

    void jaegerTraceLandsAsOneSource()
    {
        QFile file(QStringLiteral(LUNDI_CORPUS_DIR "/jaeger-json/jaeger_query_otlp2jaeger_out.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray answer = file.readAll();
        const QJsonArray traces = QJsonDocument::fromJson(answer).object()[QStringLiteral("data")].toArray();
        QVERIFY(!traces.isEmpty());
        qint64 spans = 0;
        for (const QJsonValue trace : traces)
            spans += trace[QStringLiteral("spans")].toArray().size();
        QVERIFY(spans > 0);
        const QString traceId = traces[0][QStringLiteral("traceID")].toString();
        HttpTestServer server;
        server.route("/jaeger/api/traces/" + traceId.toStdString(), [&](const TestRequest&) {
            return TestResponse{200, {{"Content-Type", "application/json"}}, answer.toStdString()};
        });
        const QString incident = m_dir.filePath(QStringLiteral("jaeger.lundi"));
        MainWindow window(MainWindow::Session::Fresh);
        window.openIncident(incident);
        QVERIFY(settle(window));

        PullDialog* dialog = window.pull(PullDialog::Kind::Traces);
        QVERIFY(dialog);
        dialog->urlField()->setText(QString::fromStdString(server.url("/jaeger")));
        dialog->traceField()->setText(traceId);
        QVERIFY(!dialog->serviceField()->isEnabled()); // a trace id, not a search
        pressPull(*dialog);
        QVERIFY(settle(window));

        const Store store(incident);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources.front().format, QStringLiteral("jaeger-json"));
        QCOMPARE(sources.front().spanCount, spans);
        QCOMPARE(store.counts().spans, spans);
        QCOMPARE(window.workbench()->snapshot()->counts.spans, spans);
    }

    void refusedQueryShowsItsSentenceAndWritesNothing()
    {
        const QString sentence =
            QStringLiteral("query processing would load too many samples into memory in query execution");
        HttpTestServer server;
        server.route("/api/v1/query_range", [&](const TestRequest&) {
            return json(422, {{QStringLiteral("status"), QStringLiteral("error")},
                              {QStringLiteral("errorType"), QStringLiteral("execution")},
                              {QStringLiteral("error"), sentence}});
        });
        const QString incident = m_dir.filePath(QStringLiteral("refused.lundi"));
        MainWindow window(MainWindow::Session::Fresh);
        window.openIncident(incident);
        QVERIFY(settle(window));
        QStringList shown;
        connect(&window, &MainWindow::failed, this, [&](const QString& failure) { shown.append(failure); });

        PullDialog* dialog = window.pull(PullDialog::Kind::Prometheus);
        QVERIFY(dialog);
        dialog->urlField()->setText(QString::fromStdString(server.url("")));
        dialog->queryField()->setText(Metric);
        pressPull(*dialog);
        QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 30000);
        QVERIFY2(shown.front().contains(sentence), qPrintable(shown.front()));
        QVERIFY2(shown.front().contains(QString::fromStdString(server.url("/api/v1/query_range"))),
                 qPrintable(shown.front()));
        QVERIFY(settle(window));
        const Store store(incident);
        QCOMPARE(store.sources().size(), 0);
        QCOMPARE(store.counts().samples, 0);
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestPullDialog)
#include "tst_pulldialog.moc"
