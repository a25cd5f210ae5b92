// SpanArchive: written spans by key in sorted runs on disk, through several runs and the
// filter's rebuilds; the answers are known by construction (each key's id is its number), keys
// never added are not found, and a temporary file that cannot be written is one sentence.

#include "ingest/importerror.h"
#include "ingest/spanarchive.h"

#include <QTest>

#include <csignal>
#include <string>

#include <sys/resource.h>

using namespace lundi;

namespace {

SpanKey keyOf(qint64 i)
{
    return SpanKey::of("trace-" + std::to_string(i / 7), std::to_string(i % 7));
}

// Keys first to first + count as one run, their ids 1000 more than their numbers.
std::vector<SpanArchive::Entry> entries(qint64 first, qint64 count)
{
    std::vector<SpanArchive::Entry> run;
    for (qint64 i = first; i < first + count; ++i)
        run.push_back({keyOf(i), SpanId(i + 1000)});
    return run;
}

} // namespace

class TestSpanArchive : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void findsWhatWasAdded()
    {
        SpanArchive archive;
        QVERIFY(!archive.find(keyOf(0)));
        archive.add({});
        QVERIFY(!archive.find(keyOf(0)));
        // Runs of uneven sizes (one entry, less than a block, many blocks), in an order that is
        // not the keys': the filter is made again as they come.
        constexpr qint64 Runs[] = {1, 100, 5000, 130'000, 3, 70'000};
        qint64 added = 0;
        for (const qint64 count : Runs) {
            archive.add(entries(added, count));
            added += count;
            QCOMPARE(archive.size(), added);
        }
        for (qint64 i = 0; i < added; ++i) {
            const std::optional<SpanId> id = archive.find(keyOf(i));
            QVERIFY2(id, qPrintable(QString::number(i)));
            QCOMPARE(*id, SpanId(i + 1000));
        }
        // Keys never added, some of them past the filter by chance: each is looked for on disk.
        for (qint64 i = added; i < added * 2; ++i)
            QVERIFY2(!archive.find(keyOf(i)), qPrintable(QString::number(i)));
    }

    void moves()
    {
        SpanArchive archive;
        archive.add(entries(0, 1000));
        SpanArchive moved = std::move(archive);
        QCOMPARE(moved.find(keyOf(999)), std::optional<SpanId>(1999));
        moved = SpanArchive();
        QCOMPARE(moved.size(), 0);
        QVERIFY(!moved.find(keyOf(999)));
    }

    // A full disk, as a file size limit fakes it.
    void temporaryFileCannotGrow()
    {
        SpanArchive archive;
        archive.add(entries(0, 10));
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit limited = old;
        limited.rlim_cur = std::min<rlim_t>(old.rlim_max, 1 << 20);
        const auto oldHandler = signal(SIGXFSZ, SIG_IGN); // else the process is killed
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        QString problem;
        try {
            archive.add(entries(10, 100'000)); // 2 MB
        } catch (const ImportError& error) {
            problem = error.problem();
        }
        setrlimit(RLIMIT_FSIZE, &old);
        signal(SIGXFSZ, oldHandler);
        QVERIFY2(problem.startsWith(QLatin1String("cannot write a temporary file")), qPrintable(problem));
        // What was archived before is still found.
        QCOMPARE(archive.find(keyOf(3)), std::optional<SpanId>(1003));
    }
};

QTEST_GUILESS_MAIN(TestSpanArchive)
#include "tst_spanarchive.moc"
