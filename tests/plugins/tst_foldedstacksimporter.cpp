#include "ingest/importer.h"
#include "plugins/importfixture.h"

#include <QDir>
#include <QRegularExpression>
#include <QStringDecoder>

#include <zlib.h>

using namespace lundi;
using namespace test;

namespace {

constexpr qint64 NsPerSample = 1'000'000;

// What a folded profile holds, read here the plainest way, apart from the importer: per part
// (one, or a differential profile's baseline and incident) the synthetic time of all its
// samples and the number of distinct stack prefixes with time (one span each), and the number
// of lines that are no stacks.
struct Expected
{
    QList<qint64> totalNs;
    qint64 spans = 0;
    qint64 skipped = 0;
};

QByteArray asUtf8(const QByteArray& bytes)
{
    if (bytes.startsWith("\xFF\xFE"))
        return QStringDecoder(QStringDecoder::Utf16LE)(bytes.mid(2)).operator QString().toUtf8();
    if (bytes.startsWith("\xFE\xFF"))
        return QStringDecoder(QStringDecoder::Utf16BE)(bytes.mid(2)).operator QString().toUtf8();
    return bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes;
}

QByteArray trimmed(QByteArray text)
{
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.chop(1);
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
        text.remove(0, 1);
    return text;
}

// Splits "stack count" at the last blank; false when what follows it is no count.
bool splitCount(const QByteArray& line, qint64 nsPerCount, QByteArray& stack, qint64& ns)
{
    static const QRegularExpression number(QStringLiteral("^(\\d+\\.?\\d*|\\.\\d+)$"));
    const qsizetype blank = std::max(line.lastIndexOf(' '), line.lastIndexOf('\t'));
    const QString count = QString::fromLatin1(line.mid(blank + 1));
    if (blank < 0 || !number.match(count).hasMatch())
        return false;
    stack = trimmed(line.left(blank));
    ns = qRound64(count.toDouble() * double(nsPerCount));
    return true;
}

// What a count is worth: austin's numbers are microseconds where its header, the comments that
// open the file, says "# austin:" and names no other mode than wall or cpu; else 1 ms a count.
qint64 nsPerCountOf(const QByteArray& utf8)
{
    bool austin = false;
    QByteArray mode;
    for (const QByteArray& raw : utf8.split('\n')) {
        const QByteArray line = trimmed(raw);
        if (line.isEmpty())
            continue;
        if (!line.startsWith('#'))
            break;
        austin = austin || line.startsWith("# austin:");
        if (line.startsWith("# mode:"))
            mode = line.mid(7).trimmed();
    }
    return austin && (mode.isEmpty() || mode == "wall" || mode == "cpu") ? 1000 : NsPerSample;
}

Expected expectedOf(const QByteArray& content)
{
    struct Line
    {
        QByteArray stack;
        qint64 ns = 0;
        QByteArray baselineStack; // empty unless the line ends in two counts
        qint64 baselineNs = 0;
    };
    QList<Line> lines;
    Expected expected;
    int twoCounts = 0;
    const QByteArray utf8 = asUtf8(content);
    const qint64 nsPerCount = nsPerCountOf(utf8);
    for (const QByteArray& raw : utf8.split('\n')) {
        const QByteArray text = trimmed(raw);
        if (text.isEmpty() || text.startsWith('#') || text.startsWith("//"))
            continue;
        Line line;
        if (!splitCount(text, nsPerCount, line.stack, line.ns)) {
            ++expected.skipped;
            continue;
        }
        if (splitCount(line.stack, nsPerCount, line.baselineStack, line.baselineNs))
            ++twoCounts;
        lines.append(line);
    }
    const bool differential = twoCounts * 2 > lines.size();
    const int parts = differential ? 2 : 1;
    QList<QSet<QByteArray>> prefixes(parts);
    expected.totalNs = QList<qint64>(parts, 0);
    for (const Line& line : lines) {
        if (differential && line.baselineStack.isEmpty()) {
            ++expected.skipped;
            continue;
        }
        QByteArrayList frames = (differential ? line.baselineStack : line.stack).split(';');
        frames.removeAll(QByteArray());
        if (frames.isEmpty()) {
            ++expected.skipped;
            continue;
        }
        const qint64 ns[] = {differential ? line.baselineNs : line.ns, line.ns};
        for (int part = 0; part < parts; ++part) {
            expected.totalNs[part] += ns[part];
            for (qsizetype depth = 1; ns[part] > 0 && depth <= frames.size(); ++depth)
                prefixes[part].insert(frames.mid(0, depth).join('\x1f'));
        }
    }
    for (const QSet<QByteArray>& set : prefixes)
        expected.spans += set.size();
    return expected;
}

// Per source of the incident: the time of its root spans and its number of spans.
struct Figures
{
    QList<qint64> rootNs;
    qint64 spans = 0;
};

Figures figuresOf(const Store& store)
{
    Figures figures;
    const QList<Source> sources = store.sources();
    for (const Source& source : sources) {
        qint64 rootNs = 0;
        for (const Track& track : store.tracks()) {
            if (track.source != source.id)
                continue;
            for (const Span& span : store.spansOfTrack(track.id)) {
                ++figures.spans;
                if (!span.parent)
                    rootNs += span.durNs;
            }
        }
        figures.rootNs.append(rootNs);
    }
    return figures;
}

// The number at the start of the warning about skipped lines, or 0.
qint64 skippedIn(const ImportSummary& summary)
{
    static const QRegularExpression skipped(QStringLiteral("^(\\d+) lines? (are|is) not"));
    for (const QString& warning : summary.warnings) {
        if (const QRegularExpressionMatch match = skipped.match(warning); match.hasMatch())
            return match.captured(1).toLongLong();
    }
    return 0;
}

QByteArray utf16(const QString& text, bool bigEndian)
{
    QByteArray bytes = bigEndian ? QByteArray("\xFE\xFF") : QByteArray("\xFF\xFE");
    for (const QChar c : text) {
        const char high = char(c.unicode() >> 8);
        const char low = char(c.unicode() & 0xFF);
        bytes.append(bigEndian ? high : low);
        bytes.append(bigEndian ? low : high);
    }
    return bytes;
}

} // namespace

class TestFoldedStacksImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void stacks_data();
    void stacks();
    void austinHeaderBecomesMetadata();
    void differentialBecomesTwoSources();
    void gzipIsReadTransparently();
    void detection_data();
    void detection();
    void otherFormatsAreNotClaimed();
    void corpus_data();
    void corpus();
    void nameAttributeFileIsIgnored();
    void absurdInput_data();
    void absurdInput();
    void deepStacks();
    void refused_data();
    void refused();
    void cutOrDamagedAnywhere_data();
    void cutOrDamagedAnywhere();

  private:
    const Importer* importer(const Fixture& fixture) const
    {
        return fixture.registry().byFormat(QStringLiteral("folded"));
    }
};

void TestFoldedStacksImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(importer(fixture), qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestFoldedStacksImporter::stacks_data()
{
    QTest::addColumn<QByteArray>("folded");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning"); // empty: none

    // Merged as a flame graph merges them, siblings in name order, 1 ms per sample from 0.
    QTest::newRow("prefixes merge") << QByteArray("a;b;c 1\na;b;c 1\na;b;d 4\na;b;c 3\na;b 5\n")
                                    << QStringLiteral("p.folded (thread)\n"
                                                      "  a [0 +14000000]\n"
                                                      "    b [0 +14000000]\n"
                                                      "      c [0 +5000000]\n"
                                                      "      d [5000000 +4000000]")
                                    << QString();
    QTest::newRow("roots and siblings in name order") << QByteArray("b;x 1\na 2\nb;a 1\n")
                                                      << QStringLiteral("p.folded (thread)\n"
                                                                        "  a [0 +2000000]\n"
                                                                        "  b [2000000 +2000000]\n"
                                                                        "    a [2000000 +1000000]\n"
                                                                        "    x [3000000 +1000000]")
                                                      << QString();
    // The stack before shares text, not frames: "b" is not "bc", "a b" is not "a".
    QTest::newRow("frames that begin alike") << QByteArray("a;bc 1\na;b 2\na b;c 1\na;c 1\n")
                                             << QStringLiteral("p.folded (thread)\n"
                                                               "  a [0 +4000000]\n"
                                                               "    b [0 +2000000]\n"
                                                               "    bc [2000000 +1000000]\n"
                                                               "    c [3000000 +1000000]\n"
                                                               "  a b [4000000 +1000000]\n"
                                                               "    c [4000000 +1000000]")
                                             << QString();
    QTest::newRow("recursion") << QByteArray("a;a;a 2\na;a 1\n")
                               << QStringLiteral("p.folded (thread)\n"
                                                 "  a [0 +3000000]\n"
                                                 "    a [0 +3000000]\n"
                                                 "      a [0 +2000000]")
                               << QString();
    QTest::newRow("spaces and tabs in names, count after the last")
        << QByteArray("java;Foo::bar(int, long) const;[perf-1.map <7f08>] 3\n"
                      "java;Foo::bar(int, long) const 1 \n"
                      "x\ty;z w\t2\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  java [0 +4000000]\n"
                          "    Foo::bar(int, long) const [0 +4000000]\n"
                          "      [perf-1.map <7f08>] [0 +3000000]\n"
                          "  x\ty [4000000 +2000000]\n"
                          "    z w [4000000 +2000000]")
        << QString();
    QTest::newRow("fractional counts, exact to the nanosecond")
        << QByteArray("a 1.5\na;b 0.25\nc 2.567\nd 19.\ne .5\nf 0.0000015\ng 0.0000014999\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +1750000]\n"
                          "    b [0 +250000]\n"
                          "  c [1750000 +2567000]\n"
                          "  d [4317000 +19000000]\n"
                          "  e [23317000 +500000]\n"
                          "  f [23817000 +2]\n"
                          "  g [23817002 +1]")
        << QString();
    QTest::newRow("CRLF, no final line break") << QByteArray("a;b 1\r\na;c 2\r\na;b 3")
                                               << QStringLiteral("p.folded (thread)\n"
                                                                 "  a [0 +6000000]\n"
                                                                 "    b [0 +4000000]\n"
                                                                 "    c [4000000 +2000000]")
                                               << QString();
    const QString unicode = QStringLiteral("main;données 2\r\nmain;\U0001F525 1\r\n");
    const QString unicodeRendered = QStringLiteral("p.folded (thread)\n"
                                                   "  main [0 +3000000]\n"
                                                   "    données [0 +2000000]\n"
                                                   "    \U0001F525 [2000000 +1000000]");
    QTest::newRow("UTF-16 LE with BOM") << utf16(unicode, false) << unicodeRendered << QString();
    QTest::newRow("UTF-16 BE with BOM") << utf16(unicode, true) << unicodeRendered << QString();
    QTest::newRow("UTF-8 with BOM") << QByteArray("\xEF\xBB\xBF") + unicode.toUtf8() << unicodeRendered
                                    << QString();
    QTest::newRow("comments and blank lines")
        << QByteArray("# a comment\n# interval: 100\n\n  \t\n// note 12\na;b 1\n\n# duration: 23873\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +1000000]\n"
                          "    b [0 +1000000]")
        << QString();
    // austin's numbers are the microseconds each sample stands for (its README: "the sampling
    // time measured in microseconds"), whatever the interval it aimed at.
    QTest::newRow("austin, wall mode: microseconds")
        << QByteArray("# austin: 3.3.0\n# interval: 100\n# mode: wall\n\n"
                      "P1;T1;main;run 105\nP1;T1;main;idle 186\nP1;T2;<module> 0.5\n\n# duration: 23873\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  P1 [0 +291500]\n"
                          "    T1 [0 +291000]\n"
                          "      main [0 +291000]\n"
                          "        idle [0 +186000]\n"
                          "        run [186000 +105000]\n"
                          "    T2 [291000 +500]\n"
                          "      <module> [291000 +500]")
        << QString();
    QTest::newRow("austin, cpu mode, no interval")
        << QByteArray("# austin: 3.7.0\r\n# mode: cpu\r\na;b 7\r\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +7000]\n"
                          "    b [0 +7000]")
        << QString();
    QTest::newRow("austin, memory mode: no time")
        << QByteArray("# austin: 3.3.0\n# interval: 100\n# mode: memory\na;b 3\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +3000000]\n"
                          "    b [0 +3000000]")
        << QStringLiteral("austin wrote this profile in its memory mode, whose numbers are no time: each is "
                          "shown as 1 ms of synthetic time.");
    QTest::newRow("an austin line after the first stack is a comment")
        << QByteArray("a;x 1\n# austin: 3.3.0\n# mode: wall\nb;y 1\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +1000000]\n"
                          "    x [0 +1000000]\n"
                          "  b [1000000 +1000000]\n"
                          "    y [1000000 +1000000]")
        << QString();
    QTest::newRow("empty frames are dropped")
        << QByteArray(";a;;b; 2\n")
        << QStringLiteral("p.folded (thread)\n  a [0 +2000000]\n    b [0 +2000000]") << QString();
    QTest::newRow("zero counts add no span")
        << QByteArray("a;b 0\na 1\n") << QStringLiteral("p.folded (thread)\n  a [0 +1000000]") << QString();
    QTest::newRow("bad lines are counted in one warning")
        << QByteArray("a;b 1\nTHIS IS A BAD LINE\nc 12V.43\nd 1e300\ne -5\nf NaN\n;; 4\ng inf\nh\n")
        << QStringLiteral("p.folded (thread)\n  a [0 +1000000]\n    b [0 +1000000]")
        << QStringLiteral(
               "8 lines are not folded stacks and were skipped: 7 lines without a sample count (a decimal "
               "number) after the last space (lines 2, 3, 4, 5, 6, 2 more); 1 line with no frame before the "
               "count (line 7).");
    QTest::newRow("two counts on a few lines of a one-count profile")
        << QByteArray("a;b 1\nx;y 3 4\na;c 2\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +3000000]\n"
                          "    b [0 +1000000]\n"
                          "    c [1000000 +2000000]\n"
                          "  x [3000000 +4000000]\n"
                          "    y 3 [3000000 +4000000]")
        << QStringLiteral(
               "1 line ends in two numbers, as a differential profile's do, but most lines have one "
               "count: the first number was read as the end of the last frame's name (line 2).");
    // The first stack has one count, most have two: read again as differential.
    QTest::newRow("one count on a few lines of a differential profile")
        << QByteArray("d 5\na;b 1 2\na;c 0 4\n")
        << QStringLiteral("p.folded (thread)\n"
                          "  a [0 +1000000]\n"
                          "    b [0 +1000000]\n"
                          "p.folded (thread)\n"
                          "  a [0 +6000000]\n"
                          "    b [0 +2000000]\n"
                          "    c [2000000 +4000000]")
        << QStringLiteral("1 line is not a folded stack and was skipped: 1 line with one count where the "
                          "differential profile's other lines have two (line 1).");
}

void TestFoldedStacksImporter::stacks()
{
    QFETCH(QByteArray, folded);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("p.folded"), folded);
    QCOMPARE(summary.format, QStringLiteral("folded"));
    QCOMPARE(fixture.rendered(), expected);
    QCOMPARE(summary.warnings, warning.isEmpty() ? QStringList() : QStringList{warning});
    // Whatever the input, the roots hold every sample.
    const Expected independent = expectedOf(folded);
    const Figures figures = figuresOf(fixture.store());
    QCOMPARE(figures.rootNs, independent.totalNs);
    QCOMPARE(figures.spans, independent.spans);
}

void TestFoldedStacksImporter::austinHeaderBecomesMetadata()
{
    Fixture fixture;
    fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/folded/inferno_austin_python_header_comments.folded"));
    const Store store = fixture.store();
    QCOMPARE(
        store.sources().first().metadataJson,
        QByteArray(R"({"austin":{"intervalUs":100,"mode":"wall","version":"3.3.0"},"nsPerSample":1000})"));
    // Its two samples, 105 and 186 us: with a sample of 100 us each (the interval) they would
    // take 29.1 ms, more than the 23873 us its "# duration:" line says the whole run took.
    QCOMPARE(figuresOf(store).rootNs, QList<qint64>({291'000}));
}

void TestFoldedStacksImporter::differentialBecomesTwoSources()
{
    Fixture fixture;
    const QString path = QStringLiteral(LUNDI_CORPUS_DIR "/folded/inferno_differential_two_counts.folded");
    const ImportSummary summary = fixture.import(path);
    QCOMPARE(summary.sources.size(), 2);
    const QList<Source> sources = fixture.store().sources();
    QCOMPARE(sources.size(), 2);
    QCOMPARE(sources[0].origin, QFileInfo(path).absoluteFilePath() + QStringLiteral("#baseline"));
    QCOMPARE(sources[1].origin, QFileInfo(path).absoluteFilePath() + QStringLiteral("#incident"));
    QCOMPARE(sources[0].format, QStringLiteral("folded"));
    // 31+6+1+19+2+274 samples before, 56+2+3+35+2+415 after.
    QCOMPARE(figuresOf(fixture.store()).rootNs, QList<qint64>({333 * NsPerSample, 513 * NsPerSample}));
    QCOMPARE(expectedOf(fileBytes(path)).totalNs, QList<qint64>({333 * NsPerSample, 513 * NsPerSample}));
}

// The track is named after the content (p.folded), not the compressed file.
void TestFoldedStacksImporter::gzipIsReadTransparently()
{
    Fixture fixture;
    const QByteArray folded = "a;b 2\na;c 1\n";
    const QString path = fixture.write({}, QStringLiteral("p.folded.gz"));
    gzFile gz = gzopen(path.toLocal8Bit().constData(), "wb");
    gzwrite(gz, folded.constData(), unsigned(folded.size()));
    gzclose(gz);
    QCOMPARE(fixture.import(path).format, QStringLiteral("folded"));
    QCOMPARE(fixture.rendered(), QStringLiteral("p.folded (thread)\n"
                                                "  a [0 +3000000]\n"
                                                "    b [0 +2000000]\n"
                                                "    c [2000000 +1000000]"));
}

void TestFoldedStacksImporter::detection_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<bool>("claimed");

    QTest::newRow("stacks") << QByteArray("a;b;c 1\na;b 2\n") << QStringLiteral("x.txt") << true;
    QTest::newRow("some bad lines") << QByteArray("a;b;c 1\nbad line\na;b 2\n") << QStringLiteral("x")
                                    << true;
    QTest::newRow("UTF-16 LE") << utf16(QStringLiteral("a;b 1\na;c 2\n"), false) << QStringLiteral("x")
                               << true;
    QTest::newRow("UTF-16 BE") << utf16(QStringLiteral("a;b 1\n"), true) << QStringLiteral("x") << true;
    QTest::newRow("a first line longer than the head")
        << QByteArray("java;") + QByteArray(4091, 'x').replace(100, 1, ";").replace(200, 1, ";")
        << QStringLiteral("x") << true;
    QTest::newRow("only a name says so")
        << QByteArray("# nothing yet\n") << QStringLiteral("x.folded") << true;
    QTest::newRow("Prometheus") << QByteArray("# HELP up Up.\n# TYPE up gauge\nup 1\n") << QStringLiteral("x")
                                << false;
    QTest::newRow("Prometheus, label with semicolons")
        << QByteArray("http_requests_total{path=\"/a;b;c\"} 3\nhttp_requests_total{path=\"/d;e\"} 4\n")
        << QStringLiteral("x") << false;
    QTest::newRow("Prometheus without HELP")
        << QByteArray("up 1\nprocess_cpu_seconds_total 2.5 1700000000000\n") << QStringLiteral("x") << false;
    QTest::newRow("CSV") << QByteArray(
                                "timestamp, name, utilization.gpu [%]\n2024/01/01 10:00:00.000, H100, 45\n")
                         << QStringLiteral("x.csv") << false;
    QTest::newRow("CSV with semicolons")
        << QByteArray("time;gpu;util\n1;0;45\n2;0;47\n") << QStringLiteral("x.csv") << false;
    QTest::newRow("JSON") << QByteArray("[{\"ph\":\"X\",\"name\":\"a;b 1\"}]") << QStringLiteral("x")
                          << false;
    QTest::newRow("nameattr") << fileBytes(
                                     QStringLiteral(LUNDI_CORPUS_DIR "/folded/inferno_nameattr_tabs.folded"))
                              << QStringLiteral("nameattr.txt") << false;
    QTest::newRow("mostly bad") << QByteArray("a;b 1\nbad\nworse\n") << QStringLiteral("x") << false;
}

void TestFoldedStacksImporter::detection()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, fileName);
    QFETCH(bool, claimed);
    Fixture fixture;
    const int score =
        importer(fixture)->detect(std::string_view(head.constData(), size_t(head.size())), fileName);
    QVERIFY2(claimed ? score > 0 : score == 0, qPrintable(QString::number(score)));
}

// Every file of the other formats' corpus folders: folded stacks must not claim one.
void TestFoldedStacksImporter::otherFormatsAreNotClaimed()
{
    Fixture fixture;
    int files = 0;
    for (const char* folder : {"prometheus", "gpu-csv", "chrome-trace", "otlp-json", "jaeger-json"}) {
        QDir dir(QStringLiteral(LUNDI_CORPUS_DIR "/") + QLatin1String(folder));
        for (const QFileInfo& file : dir.entryInfoList(QDir::Files)) {
            const QByteArray head = fileBytes(file.filePath()).left(4096);
            const int score = importer(fixture)->detect(
                std::string_view(head.constData(), size_t(head.size())), file.fileName());
            QVERIFY2(score == 0, qPrintable(file.filePath()));
            ++files;
        }
    }
    QVERIFY(files > 100);
}

void TestFoldedStacksImporter::corpus_data()
{
    QVERIFY(addCorpusRows("folded/") >= 20);
}

void TestFoldedStacksImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    const std::optional<ImportSummary> summary = importCorpusFile(path, expect, QStringLiteral("folded"));
    // A name-attribute file holds no stacks to count: nameAttributeFileIsIgnored() checks it.
    if (!summary || path.endsWith(QLatin1String("inferno_nameattr_tabs.folded")))
        return;
    // The totals and spans against the file read apart from the importer.
    const QByteArray content = fileBytes(path);
    const Expected expected = expectedOf(content);
    Fixture fixture;
    fixture.import(path);
    const Figures figures = figuresOf(fixture.store());
    QCOMPARE(figures.rootNs, expected.totalNs);
    QCOMPARE(figures.spans, expected.spans);
    QCOMPARE(summary->counts.spans, expected.spans);
    QCOMPARE(skippedIn(*summary), expected.skipped);
    QVERIFY(expected.spans > 0);
}

void TestFoldedStacksImporter::absurdInput_data()
{
    QTest::addColumn<QByteArray>("folded");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning");

    QByteArray longFrame("a;b 1\nhuge;");
    longFrame.append(QByteArray(50 << 20, 'x'));
    longFrame.append(" 7\nc 2\n");
    QTest::newRow("a 50 MB line of one frame")
        << longFrame
        << QStringLiteral("p.folded (thread)\n  a [0 +1000000]\n    b [0 +1000000]\n  c [1000000 +2000000]")
        << QStringLiteral("1 line with a frame longer than 64 KiB (line 2)");
    QByteArray longLine("a 1\n");
    longLine.append(QByteArray(50 << 20, ';'));
    longLine.append("\n");
    QTest::newRow("a 50 MB line of semicolons, no count")
        << longLine << QStringLiteral("p.folded (thread)\n  a [0 +1000000]")
        << QStringLiteral("1 line without a sample count (a decimal number) after the last space (line 2)");
    QTest::newRow("counts beyond 100 years")
        << QByteArray("a 3000000000000\nb 3000000000000\nc 99999999999999999999999999\nd 1\n")
        << QStringLiteral(
               "p.folded (thread)\n  a [0 +3000000000000000000]\n  d [3000000000000000000 +1000000]")
        << QStringLiteral("2 lines with counts that take the profile beyond 100 years at 1 ms per sample "
                          "(lines 2, 3)");
    QByteArray deep;
    for (int i = 0; i < 100'000; ++i)
        deep.append(i ? ";f" : "f");
    deep.append(" 1\nok 1\n");
    QTest::newRow("100k frames deep")
        << deep << QStringLiteral("p.folded (thread)\n  ok [0 +1000000]")
        << QStringLiteral("1 line with stacks deeper than 65535 frames (line 1)");
}

void TestFoldedStacksImporter::absurdInput()
{
    QFETCH(QByteArray, folded);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    Fixture fixture;
    // Read as folded stacks whatever they look like: some rows (no semicolon at all) are as
    // much a Prometheus dump of bare samples.
    ImportOptions options;
    options.format = QStringLiteral("folded");
    const ImportSummary summary = fixture.importAs(QStringLiteral("p.folded"), folded, options);
    QCOMPARE(fixture.rendered(), expected);
    QVERIFY2(anyWarningContains(summary, warning.toUtf8().constData()),
             qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

// 10k frames of one stack and a recursion to 10k: a span per frame, each inside its parent,
// written without recursion in the importer.
void TestFoldedStacksImporter::deepStacks()
{
    constexpr int Depth = 10'000;
    QByteArray folded;
    for (int i = 0; i < Depth; ++i)
        folded.append(i ? ";f" : "f");
    folded.append(" 3\n");
    for (int i = 0; i < Depth; ++i) {
        folded.append(i ? ";g" : "g");
        folded.append(QByteArray::number(i));
    }
    folded.append(" 2\n");
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("deep.folded"), folded);
    QCOMPARE(summary.counts.spans, 2 * Depth);
    const Store store = fixture.store();
    const std::vector<Span> spans = store.spansOfTrack(store.tracks().front().id);
    int deepest = 0;
    for (const Span& span : spans) {
        deepest = std::max(deepest, span.depth);
        QVERIFY(span.durNs == (span.name == QLatin1String("f") ? 3 : 2) * NsPerSample);
    }
    QCOMPARE(deepest, Depth - 1);
    QCOMPARE(figuresOf(store).rootNs, QList<qint64>({5 * NsPerSample}));
}

void TestFoldedStacksImporter::refused_data()
{
    QTest::addColumn<QByteArray>("folded");
    QTest::addColumn<QString>("error");

    const QString notFolded =
        QStringLiteral("no line is a folded stack (frames separated by semicolons, a space "
                       "and a sample count, as in \"main;parse;read 12\")");
    QTest::newRow("empty") << QByteArray() << notFolded + QStringLiteral("; the file is empty");
    QTest::newRow("only comments") << QByteArray("# austin: 3.3.0\n\n# duration: 1\n")
                                   << notFolded + QStringLiteral("; there are only comments");
    QTest::newRow("austin's full mode")
        << QByteArray("# austin: 3.3.0\n# mode: full\nP1;T1;main 105,0,-1024\n")
        << QStringLiteral("p.folded: line 1, column 1 (byte 0): austin wrote this profile in its full mode");
    QTest::newRow("only bad lines")
        << QByteArray("# header\nhello world\nfoo\n")
        << QStringLiteral("p.folded: line 2, column 1 (byte 9): ") + notFolded +
               QStringLiteral(
                   ": 2 lines without a sample count (a decimal number) after the last space (lines 2, 3).");
    // Each line a chain of 1,000 frames of its own: 6,001,000 distinct prefixes, one line too many.
    QByteArray bushy;
    const QByteArray chain = QByteArray(";f").repeated(999) + " 1\n";
    for (int root = 0; root <= 6'000; ++root)
        bushy.append(QByteArray::number(root) + chain);
    QTest::newRow("more stack prefixes than spans Lundi keeps")
        << bushy
        << QStringLiteral(
               "p.folded: line 6001, column 1 (byte %1): the profile has more than 6 million distinct "
               "stack prefixes, each one span; Lundi reads at most that many.")
               .arg(bushy.size() - chain.size() - 4);
    QTest::newRow("UTF-16, only bad lines")
        << utf16(QStringLiteral("hello world\n"), false)
        << QStringLiteral("p.folded: ") + notFolded +
               QStringLiteral(
                   ": 1 line without a sample count (a decimal number) after the last space (line 1).");
}

// Refused with one sentence that names the file, and the incident is left as it was.
void TestFoldedStacksImporter::refused()
{
    QFETCH(QByteArray, folded);
    QFETCH(QString, error);
    Fixture fixture;
    fixture.importAs(QStringLiteral("earlier.folded"), "a;b 1\n");
    const QByteArray before = fileBytes(fixture.dbPath());
    ImportOptions options;
    options.format = QStringLiteral("folded");
    try {
        fixture.importAs(QStringLiteral("p.folded"), folded, options);
        QFAIL("imported a file it should refuse");
    } catch (const ImportError& caught) {
        QVERIFY2(caught.sentence().startsWith(QLatin1String("p.folded: ")), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
    }
    QCOMPARE(fileBytes(fixture.dbPath()), before);
}

// inferno's --nameattr file comes with folded profiles and their suffix: it is recognised, and
// imports nothing with a sentence that says why (MANIFEST: ok, "reject/ignore").
void TestFoldedStacksImporter::nameAttributeFileIsIgnored()
{
    Fixture fixture;
    const ImportSummary summary =
        fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/folded/inferno_nameattr_tabs.folded"));
    QCOMPARE(summary.format, QStringLiteral("folded"));
    QCOMPARE(summary.counts.spans, 0);
    QCOMPARE(summary.warnings.size(), 1);
    QVERIFY2(summary.warnings.front().contains(QLatin1String("name-attribute file")),
             qPrintable(summary.warnings.front()));
    // The same attributes with a stack among them are a profile with bad lines, not attributes.
    ImportOptions options;
    options.format = QStringLiteral("folded");
    const ImportSummary mixed =
        fixture.importAs(QStringLiteral("m.folded"), "main\tclass=x\nmain;parse 3\n", options);
    QCOMPARE(mixed.counts.spans, 2);
}

void TestFoldedStacksImporter::cutOrDamagedAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("perf, Java") << QStringLiteral("flamegraph_perf_java_collapsed_all.folded");
    QTest::newRow("differential") << QStringLiteral("inferno_differential_two_counts.folded");
    QTest::newRow("UTF-16") << QStringLiteral("speedscope_simple_utf16be.folded");
    QTest::newRow("comments, bad lines") << QStringLiteral("speedscope_simple_with_invalids.folded");
}

// Real files cut at many points and with bytes overwritten: each import either agrees with the
// independent reading or is refused with a sentence and leaves the incident as it was.
void TestFoldedStacksImporter::cutOrDamagedAnywhere()
{
    QFETCH(QString, file);
    const QByteArray original = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/folded/") + file);
    QVERIFY(!original.isEmpty());
    ImportOptions options;
    options.format = QStringLiteral("folded");
    int imported = 0;
    for (const QByteArray& content : cutAndDamaged(original, 30, QByteArrayView("; \n\t#.9x\r\0", 11), 3)) {
        Fixture fixture;
        try {
            const ImportSummary summary = fixture.importAs(QStringLiteral("p.folded"), content, options);
            ++imported;
            const Expected expected = expectedOf(content);
            const Figures figures = figuresOf(fixture.store());
            QCOMPARE(figures.rootNs, expected.totalNs);
            QCOMPARE(figures.spans, expected.spans);
            QCOMPARE(skippedIn(summary), expected.skipped);
        } catch (const ImportError&) {
            // Refused: importOrRefuse() checks that a refusal names the file and changes nothing.
            QVERIFY(!importOrRefuse(QStringLiteral("p.folded"), content, options));
        }
    }
    QVERIFY(imported > 0);
}

QTEST_GUILESS_MAIN(TestFoldedStacksImporter)
#include "tst_foldedstacksimporter.moc"
