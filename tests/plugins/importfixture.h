#pragma once

// What every importer test needs: a fresh incident per case, imports through the real Ingestor
// and plugins, the incident rendered as text, and the shared corpus's rows of one folder.

#include "classifier.h"
#include "ingest/importcontrol.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "ingest/ingestor.h"
#include "store/store.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

namespace test {

using namespace lundi;

// The incident as text: each track, then its spans in start order, indented by depth, as
// "name [start_ns +dur_ns]". Perfetto-style: a test reads as input, then expected output.
inline QString render(const Store& store)
{
    QStringList lines;
    for (const Track& track : store.tracks()) {
        lines.append(QStringLiteral("%1 (%2)").arg(track.name, trackKindName(track.kind)));
        for (const Span& span : store.spansOfTrack(track.id)) {
            lines.append(QString(2 * (span.depth + 1), QLatin1Char(' ')) +
                         QStringLiteral("%1 [%2 +%3]").arg(span.name).arg(span.startNs).arg(span.durNs));
        }
    }
    return lines.join(QLatin1Char('\n'));
}

inline QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

class Fixture
{
  public:
    Fixture()
        : m_registry(QStringList{QStringLiteral(LUNDI_PLUGIN_DIR)}), m_classifier(Classifier::standard()),
          m_dbPath(m_dir.filePath(QStringLiteral("incident.lundi")))
    {
    }

    QString write(const QByteArray& content, const QString& name = QStringLiteral("trace.json"))
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(content);
        return path;
    }

    ImportSummary import(const QString& path, ImportOptions options = {})
    {
        Store store(m_dbPath);
        Ingestor ingestor(store, m_registry, m_classifier);
        ImportControl control;
        options.force = true;
        return ingestor.importFile(path, options, control);
    }

    ImportSummary importJson(const QByteArray& json) { return import(write(json)); }
    // Imports content under a file name, for formats whose tests are not JSON.
    ImportSummary importAs(const QString& name, const QByteArray& content, const ImportOptions& options = {})
    {
        return import(write(content, name), options);
    }

    QString rendered() const { return render(Store(m_dbPath)); }
    Store store() const { return Store(m_dbPath); }
    const QString& dbPath() const { return m_dbPath; }
    const ImporterRegistry& registry() const { return m_registry; }

  private:
    QTemporaryDir m_dir;
    ImporterRegistry m_registry;
    Classifier m_classifier;
    QString m_dbPath;
};

inline bool anyWarningContains(const ImportSummary& summary, const char* text)
{
    for (const QString& warning : summary.warnings) {
        if (warning.contains(QLatin1String(text)))
            return true;
    }
    return false;
}

// Adds a row (path, expect) for every file of one corpus folder ("otlp-json/") in MANIFEST.tsv.
inline int addCorpusRows(const char* folder)
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expect");
    QFile manifest(QStringLiteral(LUNDI_CORPUS_DIR "/MANIFEST.tsv"));
    if (!manifest.open(QIODevice::ReadOnly))
        return 0;
    int rows = 0;
    while (!manifest.atEnd()) {
        const QList<QByteArray> fields = manifest.readLine().split('\t');
        if (fields.size() < 2 || !fields[0].startsWith(folder))
            continue;
        QTest::newRow(fields[0].constData())
            << QStringLiteral(LUNDI_CORPUS_DIR "/") + QString::fromUtf8(fields[0])
            << QString::fromUtf8(fields[1]);
        ++rows;
    }
    return rows;
}

// Imports one corpus file into a fresh incident as its `expect` says: "ok" must import (what the
// store holds equals the summary), "error" must be refused with a sentence naming the file and
// leave the incident byte for byte as it was, "any" may do either. Returns the summary of an
// import, or nothing when it was refused.
inline std::optional<ImportSummary> importCorpusFile(const QString& path, const QString& expect,
                                                     const QString& format, const ImportOptions& options = {})
{
    Fixture fixture;
    fixture.store(); // the incident exists before the import, as a user's would
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        ImportSummary summary = fixture.import(path, options);
        if (expect == QLatin1String("error")) {
            QTest::qFail("imported a file the corpus says must be refused", __FILE__, __LINE__);
            return std::nullopt;
        }
        if (summary.format != format)
            QTest::qFail(qPrintable(QStringLiteral("read as %1").arg(summary.format)), __FILE__, __LINE__);
        const Store store = fixture.store();
        const IncidentCounts counts = store.counts();
        if (counts.spans != summary.counts.spans || counts.samples != summary.counts.samples)
            QTest::qFail("the store holds other counts than the summary", __FILE__, __LINE__);
        // The store trusts the sink's ids: a span named or placed by an id it never handed out
        // is counted but never shown.
        qint64 readable = 0;
        for (const Track& track : store.tracks())
            readable += qint64(store.spansOfTrack(track.id).size());
        if (readable != counts.spans)
            QTest::qFail(qPrintable(QStringLiteral("%1 of %2 spans cannot be read back by track and name")
                                        .arg(counts.spans - readable)
                                        .arg(counts.spans)),
                         __FILE__, __LINE__);
        return summary;
    } catch (const ImportError& error) {
        if (expect == QLatin1String("ok"))
            QTest::qFail(qPrintable(error.sentence()), __FILE__, __LINE__);
        if (!error.sentence().startsWith(QFileInfo(path).fileName()))
            QTest::qFail(
                qPrintable(QStringLiteral("the sentence does not name the file: ") + error.sentence()),
                __FILE__, __LINE__);
        if (fileBytes(fixture.dbPath()) != before)
            QTest::qFail("a refused import changed the incident", __FILE__, __LINE__);
        return std::nullopt;
    }
}

// Imports JSON into a fresh incident and checks it as the format's importer, rendered as
// expected, with no warning where `warning` is empty and else with one that contains it.
inline void checkImport(const QByteArray& json, const QString& format, const QString& expected,
                        const QString& warning)
{
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(json);
    QCOMPARE(summary.format, format);
    QCOMPARE(fixture.rendered(), expected);
    if (warning.isEmpty())
        QVERIFY2(summary.warnings.isEmpty(), qPrintable(summary.warnings.join(QLatin1Char('\n'))));
    else
        QVERIFY2(anyWarningContains(summary, warning.toUtf8().constData()),
                 qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

// A file as crashes, full disks and bad copies leave it: cut at `points` places spread over it,
// then `points` copies with `bytesPerCopy` bytes overwritten from `alphabet` (seeded, so that a
// failure can be replayed).
inline QList<QByteArray> cutAndDamaged(const QByteArray& original, int points, QByteArrayView alphabet,
                                       int bytesPerCopy = 1, quint32 seed = 12345)
{
    QList<QByteArray> spoilt;
    for (int i = 1; i <= points; ++i)
        spoilt.append(original.left(original.size() * i / (points + 1)));
    for (int i = 0; i < points && !original.isEmpty(); ++i) {
        QByteArray damaged = original;
        for (int byte = 0; byte < bytesPerCopy; ++byte) {
            seed = seed * 1664525u + 1013904223u;
            damaged[qsizetype(seed % quint32(damaged.size()))] =
                alphabet[qsizetype((seed >> 24) % alphabet.size())];
        }
        spoilt.append(damaged);
    }
    return spoilt;
}

// Imports content as `name` into a fresh incident: the summary, or nothing where it was refused.
// A refusal must name the file and leave the incident byte for byte as it was, or the test fails.
inline std::optional<ImportSummary> importOrRefuse(const QString& name, const QByteArray& content,
                                                   const ImportOptions& options = {})
{
    Fixture fixture;
    fixture.store();
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        return fixture.importAs(name, content, options);
    } catch (const ImportError& error) {
        if (!error.sentence().startsWith(name))
            QTest::qFail(
                qPrintable(QStringLiteral("the sentence does not name the file: ") + error.sentence()),
                __FILE__, __LINE__);
        if (fileBytes(fixture.dbPath()) != before)
            QTest::qFail("a refused import changed the incident", __FILE__, __LINE__);
        return std::nullopt;
    }
}

} // namespace test
