// The panels around the views, on a small incident written for the test: the details of a span
// (untrusted text shown as it is), the sources with their tickable tracks, the top table and
// the category legend, each checked through what it shows and the signals it sends.

#include "categorylegend.h"
#include "categorypalette.h"
#include "classifier.h"
#include "detailspanel.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "sourcespanel.h"
#include "store/store.h"
#include "toptableview.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace lundi;

Q_DECLARE_METATYPE(QSet<lundi::TrackId>)

namespace {

const QString Untrusted = QStringLiteral("<b>x</b> & <i>y</i>");

QTreeWidgetItem* itemNamed(QTreeWidget& tree, const QString& field)
{
    const QList<QTreeWidgetItem*> found = tree.findItems(field, Qt::MatchExactly | Qt::MatchRecursive, 0);
    return found.isEmpty() ? nullptr : found.front();
}

} // namespace

class TestPanels : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QSet<TrackId>>();
        QVERIFY(m_dir.isValid());
        // Two sources: a gateway trace with two tracks, and a GPU trace with one.
        Store store(m_dir.filePath(QStringLiteral("panels.lundi")));
        const ImporterRegistry registry{QStringList{}};
        const Classifier classifier = Classifier::standard();
        Ingestor ingestor(store, registry, classifier);
        ingestor.importGenerated(
            QStringLiteral("test"), QStringLiteral("/traces/gateway.json"), "gateway", {}, [](Sink& sink) {
                const TrackId gateway =
                    sink.addTrack({TrackKind::Service, QStringLiteral("gateway"), {}, {}, 0});
                const TrackId auth = sink.addTrack({TrackKind::Service, QStringLiteral("auth"), {}, {}, 0});
                SpanSpec root;
                root.track = gateway;
                root.name = sink.intern(Untrusted.toStdString());
                root.startNs = 1'000'000'000;
                root.durNs = 2'500'000;
                root.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
                root.attributesJson = R"({"http":{"method":"POST","status_code":503},"note":"<script>"})";
                root.status = SpanStatus::Error;
                const SpanId id = sink.addSpan(root);
                SpanSpec child;
                child.track = auth;
                child.parent = id;
                child.name = sink.intern("auth.verify_token");
                child.startNs = 1'000'500'000;
                child.durNs = 1'000'000;
                sink.addSpan(child);
            });
        ingestor.importGenerated(
            QStringLiteral("test"), QStringLiteral("/traces/gpu.json"), "gpu", {}, [](Sink& sink) {
                const TrackId gpu = sink.addTrack({TrackKind::Gpu, QStringLiteral("GPU 0"), {}, {}, 0});
                SpanSpec kernel;
                kernel.track = gpu;
                kernel.name = sink.intern("decode");
                kernel.startNs = 1'001'000'000;
                kernel.durNs = 4'000'000;
                sink.addSpan(kernel);
            });
        m_snapshot = IncidentSnapshot::load(store);
        m_span = store.span(1);
        QVERIFY(m_span);
    }

    void detailsShowUntrustedTextAsItIs()
    {
        DetailsPanel details;
        details.showSpan(m_span, QStringLiteral("gateway"));
        QCOMPARE(itemNamed(details, QStringLiteral("Name"))->text(1), Untrusted);
        QCOMPARE(itemNamed(details, QStringLiteral("Track"))->text(1), QStringLiteral("gateway"));
        QCOMPARE(itemNamed(details, QStringLiteral("Start"))->text(1),
                 QStringLiteral("1970-01-01T00:00:01.000Z"));
        QCOMPARE(itemNamed(details, QStringLiteral("Duration"))->text(1), QStringLiteral("2.500 ms"));
        QCOMPARE(itemNamed(details, QStringLiteral("Status"))->text(1), QStringLiteral("error"));
        QCOMPARE(itemNamed(details, QStringLiteral("Trace id"))->text(1),
                 QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
        // Nested attributes are flattened into dotted keys.
        QCOMPARE(itemNamed(details, QStringLiteral("http.method"))->text(1), QStringLiteral("POST"));
        QCOMPARE(itemNamed(details, QStringLiteral("http.status_code"))->text(1), QStringLiteral("503"));
        QCOMPARE(itemNamed(details, QStringLiteral("note"))->text(1), QStringLiteral("<script>"));
        // A tooltip escapes what it shows, so that no tag in a name is ever interpreted.
        QCOMPARE(
            itemNamed(details, QStringLiteral("Name"))->toolTip(1),
            QStringLiteral("<p style='white-space:pre'>&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;y&lt;/i&gt;</p>"));

        details.showSpan(std::nullopt, {});
        QCOMPARE(details.topLevelItemCount(), 1);
        QVERIFY(!itemNamed(details, QStringLiteral("Name")));
    }

    void sourcesHideTracks()
    {
        SourcesPanel sources;
        sources.setSnapshot(m_snapshot);
        QCOMPARE(sources.topLevelItemCount(), 2);
        QTreeWidgetItem* gateway = sources.topLevelItem(0);
        QCOMPARE(gateway->text(0), QStringLiteral("gateway.json"));
        QCOMPARE(gateway->childCount(), 2);
        QCOMPARE(gateway->child(0)->text(0), QStringLiteral("gateway"));
        QCOMPARE(gateway->child(0)->text(1), QStringLiteral("1"));

        QSignalSpy hidden(&sources, &SourcesPanel::hiddenTracksChanged);
        gateway->child(1)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(hidden.size(), 1);
        QCOMPARE(hidden.last().front().value<QSet<TrackId>>(), QSet<TrackId>{2});
        QCOMPARE(gateway->checkState(0), Qt::PartiallyChecked);

        // Unticking a source hides all its tracks; ticking it shows them all again.
        QTreeWidgetItem* gpu = sources.topLevelItem(1);
        gpu->setCheckState(0, Qt::Unchecked);
        QCOMPARE(hidden.last().front().value<QSet<TrackId>>(), (QSet<TrackId>{2, 3}));
        QCOMPARE(gpu->child(0)->checkState(0), Qt::Unchecked);
        gateway->setCheckState(0, Qt::Checked);
        QCOMPARE(hidden.last().front().value<QSet<TrackId>>(), QSet<TrackId>{3});

        // Following the state sends nothing back.
        const qsizetype before = hidden.size();
        sources.setHiddenTracks({});
        QCOMPARE(hidden.size(), before);
        QCOMPARE(gpu->checkState(0), Qt::Checked);
    }

    void topTableSelectsSortsAndFilters()
    {
        auto names = std::make_shared<const std::vector<QString>>(
            std::vector<QString>{QString(), QStringLiteral("decode"), QStringLiteral("auth.verify_token"),
                                 QStringLiteral("prefill")});
        auto entries = std::make_shared<const std::vector<TopList::Entry>>(
            std::vector<TopList::Entry>{{1, Category::Gpu, 600, 600, 3},
                                        {2, Category::Compliance, 300, 900, 10},
                                        {3, Category::Gpu, 100, 100, 1}});
        TopTableView top;
        top.resize(800, 400);
        top.setEntries(entries, names, 1000);
        QTableView* table = top.table();
        QCOMPARE(table->model()->rowCount(), 3);
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("decode"));
        QCOMPARE(table->model()->index(0, 3).data().toString(), QLocale().toString(60.0, 'f', 1));

        table->sortByColumn(6, Qt::DescendingOrder); // by count
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("auth.verify_token"));

        QSignalSpy selected(&top, &TopTableView::frameSelected);
        table->selectRow(2);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().front().value<StringId>(), 3);

        // Following the state selects the row without sending it back.
        top.setSelectedFrame(1);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(table->currentIndex().row(), 1);

        // A search paints the matching rows in the match colour and fades the others.
        Highlight highlight;
        highlight.matches =
            std::make_shared<const std::vector<bool>>(std::vector<bool>{false, false, true, false});
        top.setHighlight(highlight);
        for (int row = 0; row < 3; ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            const bool matched = index.data().toString() == QLatin1String("auth.verify_token");
            QCOMPARE(index.data(Qt::BackgroundRole).value<QColor>() == CategoryPalette::match(), matched);
            QCOMPARE(index.data(Qt::ForegroundRole).value<QColor>() == CategoryPalette::text(), matched);
        }

        top.filter()->setText(QStringLiteral("DEC"));
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("decode"));
    }

    void legendTogglesCategories()
    {
        CategoryLegend legend;
        QSignalSpy changed(&legend, &CategoryLegend::categoriesChanged);
        legend.button(Category::Gpu)->click();
        QCOMPARE(changed.size(), 1);
        CategorySet expected = CategorySet::all();
        expected.set(Category::Gpu, false);
        QVERIFY(changed.last().front().value<CategorySet>() == expected);

        QTest::mouseDClick(legend.button(Category::Compliance), Qt::LeftButton);
        QVERIFY(changed.last().front().value<CategorySet>() == CategorySet::only(Category::Compliance));
        QVERIFY(legend.button(Category::Compliance)->isChecked());
        QVERIFY(!legend.button(Category::Api)->isChecked());
        QTest::mouseDClick(legend.button(Category::Compliance), Qt::LeftButton);
        QVERIFY(changed.last().front().value<CategorySet>() == CategorySet::all());

        legend.setCategories(CategorySet::only(Category::Api));
        QVERIFY(legend.categories() == CategorySet::only(Category::Api));
        QVERIFY(changed.last().front().value<CategorySet>() == CategorySet::all());
    }

  private:
    QTemporaryDir m_dir;
    std::shared_ptr<const IncidentSnapshot> m_snapshot;
    std::optional<Span> m_span;
};

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"
