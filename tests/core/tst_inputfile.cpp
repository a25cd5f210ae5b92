// InputFile: plain and gzip input read the same way, damaged input is an ImportError and never
// a crash, and byte offsets turn into the line and column a user can find.

#include "ingest/importerror.h"
#include "ingest/inputfile.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

using namespace lundi;

namespace {

// One gzip member, as gzip(1) writes it; level 0 stores the bytes as they are.
QByteArray gzip(const QByteArray& data, int level = Z_DEFAULT_COMPRESSION)
{
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))) + 64, Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

// Text that does not repeat trivially, so it compresses like a real trace.
QByteArray traceText(int events)
{
    QByteArray text = "{\"traceEvents\":[\n";
    for (int i = 0; i < events; ++i) {
        text += "{\"ph\":\"X\",\"name\":\"span " + QByteArray::number(qint64(i) * 7919 % 1000) +
                "\",\"ts\":" + QByteArray::number(qint64(i) * 37) + ",\"dur\":" + QByteArray::number(i % 97) +
                ",\"pid\":1,\"tid\":" + QByteArray::number(i % 5) + "},\n";
    }
    return text + "]}\n";
}

// The resident size of the mapping that holds address, from /proc/self/smaps, in KiB.
qint64 residentKiBOfMapping(const void* address)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return -1;
    const auto at = quintptr(address);
    bool inside = false;
    // Files of /proc have no size, so atEnd() cannot be trusted: read until nothing comes.
    for (QByteArray line = smaps.readLine(); !line.isEmpty(); line = smaps.readLine()) {
        const qsizetype dash = line.indexOf('-');
        const qsizetype space = line.indexOf(' ');
        // A mapping's header starts with its address range in lower-case hex; keys are capitalised.
        if (dash > 0 && space > dash && QByteArrayLiteral("0123456789abcdef").contains(line.at(0))) {
            const quintptr from = line.left(dash).toULongLong(nullptr, 16);
            const quintptr to = line.mid(dash + 1, space - dash - 1).toULongLong(nullptr, 16);
            inside = from <= at && at < to;
        } else if (inside && line.startsWith("Rss:")) {
            return line.mid(4).trimmed().split(' ').first().toLongLong();
        }
    }
    return -1;
}

} // namespace

class TestInputFile : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString write(const QByteArray& bytes, const QString& name = QString())
    {
        const QString path =
            m_dir.filePath(name.isEmpty() ? QStringLiteral("input-%1").arg(++m_files) : name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static QByteArray dataOf(const InputFile& input)
    {
        return QByteArray(input.data().data(), qsizetype(input.data().size()));
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void reads_data()
    {
        QTest::addColumn<QByteArray>("bytes");    // what is on disk
        QTest::addColumn<QByteArray>("expected"); // what data() must be
        QTest::addColumn<bool>("compressed");

        const QByteArray small = "{\"traceEvents\":[]}\n";
        const QByteArray big = traceText(60'000); // a few MB, far more than the compressed size
        QTest::newRow("plain") << small << small << false;
        QTest::newRow("plain, binary")
            << QByteArray("\x1f\x00\xff\x8b", 4) << QByteArray("\x1f\x00\xff\x8b", 4) << false;
        QTest::newRow("plain, one byte 0x1f") << QByteArray("\x1f") << QByteArray("\x1f") << false;
        QTest::newRow("empty") << QByteArray() << QByteArray() << false;
        QTest::newRow("gzip") << gzip(small) << small << true;
        QTest::newRow("gzip, big") << gzip(big) << big << true;
        QTest::newRow("gzip, stored") << gzip(big, 0) << big << true;
        QTest::newRow("gzip, best") << gzip(big, 9) << big << true;
        QTest::newRow("gzip of nothing") << gzip(QByteArray()) << QByteArray() << true;
        // The trailer of the last member only knows its own size: the buffer has to grow.
        QTest::newRow("gzip, concatenated members") << gzip(big) + gzip("tail\n") << big + "tail\n" << true;
        QTest::newRow("gzip, three members")
            << gzip("a") + gzip(QByteArray()) + gzip("b") << QByteArray("ab") << true;
    }

    void reads()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, expected);
        QFETCH(bool, compressed);
        const QString path = write(bytes, QStringLiteral("trace.json"));
        const InputFile input(path);
        QCOMPARE(input.path(), path);
        QCOMPARE(input.fileName(), QStringLiteral("trace.json"));
        QCOMPARE(input.wasCompressed(), compressed);
        QCOMPARE(qsizetype(input.data().size()), expected.size());
        QVERIFY(dataOf(input) == expected);
    }

    // Written by zlib's own gz* file functions, as other tools would.
    // Released pages leave the resident set and read back the same: an import of any size
    // stays in bounded memory.
    void releaseGivesBackWhatWasRead()
    {
        const QByteArray text = traceText(400'000); // about 30 MB
        const InputFile input(write(text));
        quint64 sum = 0;
        for (const char c : input.data())
            sum += quint8(c);
        const qint64 before = residentKiBOfMapping(input.data().data());
        QVERIFY2(before > text.size() / 1024 / 2, qPrintable(QString::number(before)));
        input.release(0, qint64(input.data().size()));
        const qint64 after = residentKiBOfMapping(input.data().data());
        QVERIFY2(after < 64, qPrintable(QString::number(after)));
        quint64 again = 0;
        for (const char c : input.data())
            again += quint8(c);
        QCOMPARE(again, sum);
        QCOMPARE(dataOf(input), text);

        // Inflated content is mapped from a temporary file: it is given back the same way.
        const InputFile inflated(write(gzip(text)));
        QVERIFY(inflated.wasCompressed());
        for (const char c : inflated.data())
            sum -= quint8(c);
        QCOMPARE(sum, quint64(0));
        const qint64 inflatedBefore = residentKiBOfMapping(inflated.data().data());
        QVERIFY2(inflatedBefore > text.size() / 1024 / 2, qPrintable(QString::number(inflatedBefore)));
        inflated.release(0, qint64(inflated.data().size()) / 2);
        const qint64 half = residentKiBOfMapping(inflated.data().data());
        QVERIFY2(half < inflatedBefore * 3 / 4, qPrintable(QString::number(half)));
        inflated.release(0, qint64(inflated.data().size()));
        const qint64 inflatedAfter = residentKiBOfMapping(inflated.data().data());
        QVERIFY2(inflatedAfter < 64, qPrintable(QString::number(inflatedAfter)));
        QCOMPARE(dataOf(inflated), text);

        // Bytes given in memory are the caller's: they stay.
        const InputFile inMemory(QStringLiteral("body.json"), text);
        inMemory.release(0, qint64(inMemory.data().size()));
        QCOMPARE(dataOf(inMemory), text);
    }

    // Gzip bytes given in memory (an HTTP body) inflate as a file's do.
    void gzipInMemory()
    {
        const QByteArray text = traceText(20'000);
        const InputFile input(QStringLiteral("body.json.gz"), gzip(text) + gzip("tail\n"));
        QVERIFY(input.wasCompressed());
        QCOMPARE(input.fileName(), QStringLiteral("body.json"));
        QCOMPARE(dataOf(input), text + "tail\n");
        try {
            InputFile broken(QStringLiteral("body.json.gz"), gzip(text).chopped(5));
            QFAIL("truncated gzip in memory was read");
        } catch (const ImportError& error) {
            QVERIFY2(error.problem().contains(QLatin1String("ends early")), qPrintable(error.problem()));
        }
    }

    // The inflated content goes to the temporary folder (TMPDIR) without a name: nothing is left
    // there, not even while the input is open, and a folder that cannot take it is one sentence.
    void inflatesIntoTheTemporaryFolder()
    {
        const QString path = write(gzip(traceText(20'000)), QStringLiteral("spill.json.gz"));
        const QByteArray oldTmpdir = qgetenv("TMPDIR");
        const auto restore = qScopeGuard([&oldTmpdir] {
            if (oldTmpdir.isNull())
                qunsetenv("TMPDIR");
            else
                qputenv("TMPDIR", oldTmpdir);
        });
        QTemporaryDir temporary;
        QVERIFY(temporary.isValid());
        qputenv("TMPDIR", QFile::encodeName(temporary.path()));
        {
            const InputFile input(path);
            QCOMPARE(dataOf(input), traceText(20'000));
            QCOMPARE(QDir(temporary.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                     QStringList());
        }

        const QString missing = temporary.filePath(QStringLiteral("gone"));
        qputenv("TMPDIR", QFile::encodeName(missing));
        try {
            InputFile input(path);
            QFAIL("inflated without a temporary folder");
        } catch (const ImportError& error) {
            QVERIFY2(error.problem().contains(QLatin1String("cannot decompress spill.json")),
                     qPrintable(error.problem()));
            QVERIFY2(error.problem().contains(missing), qPrintable(error.problem()));
        }
    }

    // A temporary folder that takes only part of the content (here a file size limit, as a full
    // disk would) fails the import in one sentence that says where, not with a crash.
    void temporaryFolderFull()
    {
        const QString path = write(gzip(traceText(60'000)), QStringLiteral("big.json.gz"));
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit limited = old;
        limited.rlim_cur = std::min<rlim_t>(old.rlim_max, 1 << 20);
        const auto oldHandler = signal(SIGXFSZ, SIG_IGN); // else the process is killed
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        QString problem;
        try {
            InputFile input(path);
        } catch (const ImportError& error) {
            problem = error.problem();
        }
        setrlimit(RLIMIT_FSIZE, &old);
        signal(SIGXFSZ, oldHandler);
        QVERIFY2(problem.contains(QLatin1String("cannot decompress big.json into the temporary folder ") +
                                  QDir::tempPath()),
                 qPrintable(problem));
    }

    void gzFileApi()
    {
        const QString path = m_dir.filePath(QStringLiteral("written.json.gz"));
        const QByteArray text = traceText(1000);
        gzFile file = gzopen(QFile::encodeName(path).constData(), "wb9");
        QVERIFY(file);
        QCOMPARE(gzwrite(file, text.constData(), unsigned(text.size())), int(text.size()));
        QCOMPARE(gzclose(file), Z_OK);
        const InputFile input(path);
        QVERIFY(input.wasCompressed());
        QVERIFY(dataOf(input) == text);
    }

    // As gzip -d does, bytes after the last member that are not another member are ignored.
    void gzipTrailingGarbage()
    {
        const InputFile input(write(gzip("content") + QByteArray(16, '\0')));
        QCOMPARE(dataOf(input), QByteArray("content"));
    }

    void damaged_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const QByteArray whole = gzip(traceText(20'000));
        QTest::newRow("magic only") << QByteArray("\x1f\x8b") << QStringLiteral("ends early");
        QTest::newRow("header only") << whole.left(10) << QStringLiteral("ends early");
        QTest::newRow("cut in half") << whole.left(whole.size() / 2) << QStringLiteral("ends early");
        QTest::newRow("trailer missing") << whole.chopped(8) << QStringLiteral("ends early");
        QTest::newRow("trailer half there") << whole.chopped(3) << QStringLiteral("ends early");
        QByteArray corrupt = whole;
        for (qsizetype i = 20; i < 60; ++i)
            corrupt[i] = char(~corrupt[i]);
        QTest::newRow("corrupt deflate data") << corrupt << QStringLiteral("damaged");
        QByteArray badCrc = gzip("hello");
        badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 0x55);
        QTest::newRow("bad checksum") << badCrc << QStringLiteral("damaged");
        QTest::newRow("gzip magic over text")
            << QByteArray("\x1f\x8bhello, this is not gzip at all") << QStringLiteral("damaged");
        QTest::newRow("second member truncated")
            << gzip("first") + gzip("second").chopped(10) << QStringLiteral("ends early");
    }

    void damaged()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const QString path = write(bytes, QStringLiteral("broken.json.gz"));
        try {
            InputFile input(path);
            QFAIL("damaged gzip input was read");
        } catch (const ImportError& error) {
            QVERIFY2(error.problem().contains(problem), qPrintable(error.problem()));
            QVERIFY2(error.offset() >= 0 && error.offset() <= bytes.size(),
                     qPrintable(QString::number(error.offset())));
        }
    }

    // A truncated file's last four bytes are not a size: believing them asks for up to 4 GiB.
    void truncatedGzipDoesNotTrustTheTrailer()
    {
        QByteArray content =
            QByteArray(4000, 'a') + QByteArray("\xff\xff\xff\xff", 4) + QByteArray(4000, 'b');
        const QByteArray stored = gzip(content, 0); // stored: the content's bytes appear as they are
        const qsizetype at = stored.indexOf(QByteArray("\xff\xff\xff\xff", 4));
        QVERIFY(at > 0);
        const QString path = write(stored.left(at + 4));

#ifdef __SANITIZE_ADDRESS__ // gcc's; scripts/dev test-sanitized builds with gcc
        QSKIP("AddressSanitizer holds terabytes of address space: under a 4 GiB limit nothing can be mapped");
#endif
        // Under a 4 GiB address-space limit a 4 GiB buffer cannot be had; the file itself needs 8 KiB.
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_AS, &old), 0);
        rlimit limited = old;
        limited.rlim_cur = std::min<rlim_t>(old.rlim_max, rlim_t(4) << 30);
        QCOMPARE(setrlimit(RLIMIT_AS, &limited), 0);
        QString problem;
        try {
            InputFile input(path);
        } catch (const ImportError& error) {
            problem = error.problem();
        }
        setrlimit(RLIMIT_AS, &old);
        QVERIFY2(problem.contains(QLatin1String("ends early")), qPrintable(problem));
    }

    void notAFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("problem");
        QTest::newRow("folder") << m_dir.path() << QStringLiteral("is a folder");
        QTest::newRow("missing") << m_dir.filePath(QStringLiteral("no-such-file.json"))
                                 << QStringLiteral("cannot open");
        QTest::newRow("missing folder")
            << m_dir.filePath(QStringLiteral("nope/trace.json")) << QStringLiteral("cannot open");
    }

    void notAFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, problem);
        try {
            InputFile input(path);
            QFAIL("no error");
        } catch (const ImportError& error) {
            QVERIFY2(error.problem().contains(problem), qPrintable(error.problem()));
            QVERIFY2(error.problem().contains(path), qPrintable(error.problem()));
        }
    }

    void unreadable()
    {
        if (geteuid() == 0)
            QSKIP("root reads every file");
        const QString path = write("secret");
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        QVERIFY_THROWS_EXCEPTION(ImportError, InputFile{path});
    }

    void lineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("compress");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<qint64>("column");
        // Offsets:          a0 b1 \n2 c3 d4 \n5 \n6 e7 f8
        const QByteArray text = "ab\ncd\n\nef";
        for (bool compress : {false, true}) {
            const char* how = compress ? "gzip" : "plain";
            QTest::addRow("%s: start", how) << text << compress << qint64(0) << qint64(1) << qint64(1);
            QTest::addRow("%s: second byte", how) << text << compress << qint64(1) << qint64(1) << qint64(2);
            QTest::addRow("%s: the newline", how) << text << compress << qint64(2) << qint64(1) << qint64(3);
            QTest::addRow("%s: line 2", how) << text << compress << qint64(3) << qint64(2) << qint64(1);
            QTest::addRow("%s: empty line", how) << text << compress << qint64(6) << qint64(3) << qint64(1);
            QTest::addRow("%s: last line", how) << text << compress << qint64(8) << qint64(4) << qint64(2);
            QTest::addRow("%s: end", how) << text << compress << qint64(9) << qint64(4) << qint64(3);
            QTest::addRow("%s: past the end", how)
                << text << compress << qint64(1000) << qint64(4) << qint64(3);
            QTest::addRow("%s: negative", how) << text << compress << qint64(-5) << qint64(1) << qint64(1);
        }
        QTest::newRow("crlf") << QByteArray("a\r\nbc") << false << qint64(4) << qint64(2) << qint64(2);
        // Columns count bytes: "é" is two.
        QTest::newRow("utf-8") << QByteArray("\xc3\xa9x") << false << qint64(2) << qint64(1) << qint64(3);
        QTest::newRow("empty file") << QByteArray() << false << qint64(0) << qint64(1) << qint64(1);
        QTest::newRow("empty file, past the end")
            << QByteArray() << false << qint64(7) << qint64(1) << qint64(1);
    }

    void lineAndColumn()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, compress);
        QFETCH(qint64, offset);
        QFETCH(qint64, line);
        QFETCH(qint64, column);
        const InputFile input(write(compress ? gzip(content) : content));
        QCOMPARE(input.wasCompressed(), compress);
        const auto [gotLine, gotColumn] = input.lineAndColumn(offset);
        QCOMPARE(gotLine, line);
        QCOMPARE(gotColumn, column);
    }
};

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"
