#include "ingest/importer.h"
#include "plugins/importfixture.h"

#include <QFileInfo>

#include <zlib.h>

using namespace lundi;
using namespace test;

namespace {

// The corpus folder of each format.
const std::pair<const char*, const char*> Folders[] = {
    {"chrome-trace/", "chrome-trace"}, {"otlp-json/", "otlp-json"}, {"jaeger-json/", "jaeger-json"},
    {"prometheus/", "prometheus"},     {"gpu-csv/", "gpu-csv"},     {"folded/", "folded"},
};

QByteArray gzip(const QByteArray& data)
{
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))), Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

} // namespace

// Formats are told apart by their content alone: every corpus file that must import is taken
// by its own folder's importer, whatever its name, and gzip changes nothing.
class TestFormatDetection : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        Fixture fixture;
        for (const auto& [folder, format] : Folders)
            QVERIFY2(fixture.registry().byFormat(QLatin1String(format)), format);
    }

    void byContent_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("format");
        QFile manifest(QStringLiteral(LUNDI_CORPUS_DIR "/MANIFEST.tsv"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        int rows = 0;
        while (!manifest.atEnd()) {
            const QList<QByteArray> fields = manifest.readLine().split('\t');
            if (fields.size() < 2 || fields[1] != "ok")
                continue;
            for (const auto& [folder, format] : Folders) {
                if (fields[0].startsWith(folder)) {
                    QTest::newRow(fields[0].constData())
                        << QStringLiteral(LUNDI_CORPUS_DIR "/") + QString::fromUtf8(fields[0])
                        << QString::fromLatin1(format);
                    ++rows;
                }
            }
        }
        QVERIFY(rows > 100);
    }

    void byContent()
    {
        QFETCH(QString, path);
        QFETCH(QString, format);
        Fixture fixture;
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray head = file.read(4096);
        const std::string_view view(head.constData(), size_t(head.size()));
        const Importer* named = fixture.registry().detect(view, QFileInfo(path).fileName());
        QVERIFY2(named, "no importer took the file");
        QCOMPARE(named->format(), format);
        // A name that says nothing (a download, a pasted dump) must not change the verdict.
        QEXPECT_FAIL(
            "folded/inferno_nameattr_tabs.folded",
            "inferno's name-attribute file holds no stack at all: only its name says it is a profile", Abort);
        const Importer* anonymous = fixture.registry().detect(view, QStringLiteral("download"));
        QVERIFY(anonymous);
        QCOMPARE(anonymous->format(), format);
    }

    void gzipIsTheSame_data() { byContent_data(); }

    void gzipIsTheSame()
    {
        QFETCH(QString, path);
        QFETCH(QString, format);
        const QByteArray content = fileBytes(path);
        const QString name = QFileInfo(path).fileName();
        try {
            Fixture plain;
            const ImportSummary read = plain.importAs(name, content);
            Fixture packed;
            const ImportSummary inflated = packed.importAs(name + QStringLiteral(".gz"), gzip(content));
            QCOMPARE(inflated.format, format);
            QCOMPARE(inflated.counts.spans, read.counts.spans);
            QCOMPARE(inflated.counts.samples, read.counts.samples);
            QCOMPARE(inflated.counts.flows, read.counts.flows);
            QCOMPARE(packed.rendered(), plain.rendered());
        } catch (const ImportError& error) {
            QFAIL(qPrintable(error.sentence()));
        }
    }

    // --format reads a file as the format named, and says so when it is not.
    void formatOverride()
    {
        Fixture fixture;
        ImportOptions options;
        options.format = QStringLiteral("prometheus");
        const QString folded = QStringLiteral(LUNDI_CORPUS_DIR "/folded/speedscope_simple.folded");
        try {
            fixture.import(folded, options);
            QFAIL("a folded profile read as a Prometheus dump");
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().startsWith(QLatin1String("speedscope_simple.folded")),
                     qPrintable(error.sentence()));
        }
        options.format = QStringLiteral("folded");
        QCOMPARE(fixture.import(folded, options).format, QStringLiteral("folded"));
        options.format = QStringLiteral("no-such-format");
        QVERIFY_THROWS_EXCEPTION(ImportError, fixture.import(folded, options));
    }
};

QTEST_GUILESS_MAIN(TestFormatDetection)
#include "tst_formatdetection.moc"
