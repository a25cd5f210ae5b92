// The Workbench on the demo incident: what it aggregates for a time range or with tracks hidden,
// and what a search matches, checked against the incident file itself through SQL.

#include "demofile.h"
#include "store/statement.h"
#include "store/store.h"
#include "workbench.h"

#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

const QString Culprit = QStringLiteral("dlp.inspect_content");

qint64 scalar(Store& store, const std::string& sql)
{
    Statement query(store.connection(), sql);
    return query.step() ? query.int64(0) : 0;
}

const FlameTree::Node* nodeNamed(const Workbench& workbench, const QString& name)
{
    const auto names = workbench.names();
    for (const FlameTree::Node& node : workbench.flameTree()->nodes()) {
        if (node.frame > 0 && (*names)[size_t(node.frame)] == name)
            return &node;
    }
    return nullptr;
}

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo.lundi"));
        Store store(m_path);
        test::writeDemoIncident(store);
    }

    void init()
    {
        m_workbench = std::make_unique<Workbench>();
        m_workbench->open(m_path);
        QVERIFY(settle());
    }

    void opensTheIncident()
    {
        QCOMPARE(m_workbench->snapshot()->counts.spans, 248829);
        QCOMPARE(qint64(m_workbench->snapshot()->spans.size()), 248829);
        Store store(m_path);
        // The flame tree's root holds the time of every root span.
        QCOMPARE(m_workbench->flameTree()->root().totalNs,
                 scalar(store, "SELECT sum(dur_ns) FROM spans WHERE parent_id IS NULL"));
        QVERIFY(!m_workbench->topList()->empty());
    }

    void aggregatesATimeRange()
    {
        const TimeRange whole = m_workbench->snapshot()->timeRange;
        // Ten minutes into the incident window, which starts a week after the baseline.
        const TimeRange range{whole.endNs - 3600'000'000'000 + 600'000'000'000,
                              whole.endNs - 3600'000'000'000 + 1200'000'000'000};
        m_workbench->state()->setTimeRange(range);
        QVERIFY(settle());
        Store store(m_path);
        const std::string clipped = "max(0, min(start_ns + dur_ns, " + std::to_string(range.endNs) +
                                    ") - max(start_ns, " + std::to_string(range.startNs) + "))";
        QCOMPARE(m_workbench->flameTree()->root().totalNs,
                 scalar(store, "SELECT sum(" + clipped + ") FROM spans WHERE parent_id IS NULL"));
        const FlameTree::Node* culprit = nodeNamed(*m_workbench, Culprit);
        QVERIFY(culprit);
        QCOMPARE(culprit->totalNs,
                 scalar(store, "SELECT sum(" + clipped +
                                   ") FROM spans s JOIN strings n ON n.id = s.name_id WHERE "
                                   "n.text = 'dlp.inspect_content'"));

        m_workbench->state()->setTimeRange({});
        QVERIFY(settle());
        QCOMPARE(m_workbench->flameTree()->root().totalNs,
                 scalar(store, "SELECT sum(dur_ns) FROM spans WHERE parent_id IS NULL"));
    }

    // A source moved in time takes its spans along in the next snapshot, and the file keeps it.
    void clockOffsetMovesASource()
    {
        const auto earliestOf = [this](SourceId source) {
            const IncidentSnapshot& snapshot = *m_workbench->snapshot();
            qint64 earliest = std::numeric_limits<qint64>::max();
            for (const SpanRecord& span : snapshot.spans) {
                if (snapshot.track(span.track)->source == source)
                    earliest = std::min(earliest, span.startNs);
            }
            return earliest;
        };
        const Source source = m_workbench->snapshot()->sources.front();
        const qint64 before = earliestOf(source.id);
        constexpr qint64 Hour = 3'600'000'000'000;
        m_workbench->setClockOffset(source.id, source.clockOffsetNs + Hour);
        QVERIFY(settle());
        QCOMPARE(earliestOf(source.id), before + Hour);
        QCOMPARE(Store(m_path).sources(Store::SpanCounting::Skip).front().clockOffsetNs,
                 source.clockOffsetNs + Hour);
        m_workbench->setClockOffset(source.id, source.clockOffsetNs); // the next case sees the demo as it was
        QVERIFY(settle());
        QCOMPARE(earliestOf(source.id), before);
    }

    void leavesOutHiddenTracks()
    {
        QVERIFY(nodeNamed(*m_workbench, Culprit));
        const Track* compliance = nullptr;
        for (const Track& track : m_workbench->snapshot()->tracks) {
            if (track.name == QLatin1String("compliance"))
                compliance = &track;
        }
        QVERIFY(compliance);
        m_workbench->state()->setHiddenTracks({compliance->id});
        QVERIFY(settle());
        QVERIFY(!nodeNamed(*m_workbench, Culprit));
        QVERIFY(nodeNamed(*m_workbench, QStringLiteral("auth.verify_token")));
    }

    void rootsPerTrack()
    {
        const qint64 mergedNs = m_workbench->flameTree()->root().totalNs;
        m_workbench->setRoots(FlameTree::Roots::ByTrack);
        QVERIFY(settle());
        const FlameTree& tree = *m_workbench->flameTree();
        QCOMPARE(tree.root().totalNs, mergedNs);
        // The demo's requests all start at the gateway: one track root, named as the track.
        QCOMPARE(tree.root().children.size(), size_t(1));
        const FlameTree::Node& gateway = tree.nodes()[size_t(tree.root().children.front())];
        QVERIFY(gateway.frame < 0);
        QCOMPARE(m_workbench->trackName(-gateway.frame), QStringLiteral("api-gateway"));
        QCOMPARE(gateway.totalNs, mergedNs);
        m_workbench->setRoots(FlameTree::Roots::Merged);
        QVERIFY(settle());
        QVERIFY(m_workbench->flameTree()
                    ->nodes()[size_t(m_workbench->flameTree()->root().children.front())]
                    .frame > 0);
    }

    void searchCountsMatchesAndTheirShareOfTime()
    {
        QSignalSpy highlighted(m_workbench.get(), &Workbench::highlightChanged);
        m_workbench->state()->setSearch(QStringLiteral("^DLP\\.inspect"));
        QVERIFY(settle());
        QVERIFY(!highlighted.isEmpty());
        const Highlight& highlight = m_workbench->highlight();
        QVERIFY(highlight.searching());
        const auto& names = *m_workbench->names();
        for (size_t id = 1; id < names.size(); ++id)
            QCOMPARE(highlight.matched(StringId(id)), names[id] == Culprit);

        Store store(m_path);
        const qint64 count = scalar(store, "SELECT count(*) FROM spans s JOIN strings n ON n.id = s.name_id "
                                           "WHERE n.text = 'dlp.inspect_content'");
        const qint64 timeNs =
            scalar(store, "SELECT sum(dur_ns) FROM spans s JOIN strings n ON n.id = s.name_id "
                          "WHERE n.text = 'dlp.inspect_content'");
        const qint64 allNs = scalar(store, "SELECT sum(dur_ns) FROM spans WHERE parent_id IS NULL");
        QCOMPARE(count, 76285);
        QCOMPARE(m_workbench->searchSummary(),
                 QStringLiteral("%1 spans match, %2% of the time")
                     .arg(QLocale().toString(count),
                          QLocale().toString(100.0 * double(timeNs) / double(allNs), 'f', 1)));

        m_workbench->state()->setSearch(QStringLiteral("("));
        QVERIFY(settle());
        QVERIFY(m_workbench->searchSummary().startsWith(QLatin1String("Not a valid regular expression")));
        QVERIFY(!m_workbench->highlight().matched(1));

        m_workbench->state()->setSearch({});
        QVERIFY(settle());
        QVERIFY(!m_workbench->highlight().searching());
        QVERIFY(m_workbench->searchSummary().isEmpty());
    }

    void keepsOnlyTheLatestResult()
    {
        const TimeRange whole = m_workbench->snapshot()->timeRange;
        // Requests faster than the aggregation: only the last one's result may stay.
        for (int minutes = 1; minutes <= 5; ++minutes)
            m_workbench->state()->setTimeRange({whole.startNs, whole.startNs + minutes * 60'000'000'000});
        QVERIFY(settle());
        Store store(m_path);
        const qint64 end = whole.startNs + 5 * 60'000'000'000;
        QCOMPARE(m_workbench->flameTree()->root().totalNs,
                 scalar(store, "SELECT sum(max(0, min(start_ns + dur_ns, " + std::to_string(end) +
                                   ") - max(start_ns, " + std::to_string(whole.startNs) +
                                   "))) FROM spans WHERE parent_id IS NULL"));
    }

    void reportsAFileItCannotOpen()
    {
        const QString notAnIncident = m_dir.filePath(QStringLiteral("notes.lundi"));
        QFile file(notAnIncident);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        QSignalSpy failed(m_workbench.get(), &Workbench::loadFailed);
        m_workbench->open(notAnIncident);
        // Not failed.wait(): a load that fails at once may report before open() returns, when its
        // continuation runs where it is attached, and wait() only counts what comes after it.
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 30000);
        QVERIFY(failed.front().front().toString().contains(QLatin1String("notes.lundi")));
    }

  private:
    bool settle()
    {
        QTest::qWait(0);
        return QTest::qWaitFor([this] { return !m_workbench->busy() && m_workbench->flameTree(); }, 60000);
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
