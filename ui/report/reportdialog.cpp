#include "reportdialog.h"

#include "reportwriter.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "timeformat.h"
#include "workbench.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

struct Built
{
    std::shared_ptr<const Report> report;
    QString error;
};

} // namespace

ReportDialog::ReportDialog(Workbench* workbench, QWidget* parent)
    : QDialog(parent), m_workbench(workbench), m_title(new QLineEdit(this)), m_baseline(new QComboBox(this)),
      m_slo(new QLineEdit(this)), m_page(new QComboBox(this)), m_status(new QLabel(this)),
      m_pages(new QVBoxLayout),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this))
{
    setWindowTitle(tr("Export report"));
    auto* form = new QFormLayout;
    m_title->setText(tr("Incident report: %1").arg(QFileInfo(workbench->path()).completeBaseName()));
    form->addRow(tr("&Title"), m_title);
    form->addRow(tr("&Baseline"), m_baseline);
    m_slo->setPlaceholderText(tr("none (e.g. 2s, 500ms)"));
    form->addRow(tr("&SLO"), m_slo);
    m_page->addItem(tr("A4"), int(QPageSize::A4));
    m_page->addItem(tr("Letter"), int(QPageSize::Letter));
    form->addRow(tr("&Paper"), m_page);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    // The pages one under the other, on a grey desk, as a viewer shows them.
    auto* desk = new QWidget;
    desk->setAutoFillBackground(true);
    QPalette grey = desk->palette();
    grey.setColor(QPalette::Window, QColor(128, 128, 128));
    desk->setPalette(grey);
    m_pages->setSpacing(12);
    m_pages->setAlignment(Qt::AlignHCenter);
    desk->setLayout(m_pages);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(desk);
    scroll->setWidgetResizable(true);
    scroll->setMinimumSize(860, 520);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Save)->setText(tr("Save PDF…"));
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this,
            &ReportDialog::chooseFile);
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &ReportDialog::build);
    connect(m_title, &QLineEdit::editingFinished, this, &ReportDialog::build);
    connect(m_slo, &QLineEdit::editingFinished, this, &ReportDialog::build);
    connect(m_page, &QComboBox::currentIndexChanged, this, &ReportDialog::showPreview);
    fillComparisons();
}

ReportDialog::~ReportDialog() = default;

void ReportDialog::fillComparisons()
{
    const auto snapshot = m_workbench->snapshot();
    m_comparisons.clear();
    m_comparisons.push_back({tr("None: the slowest requests of all"), std::nullopt, std::nullopt});
    if (snapshot) {
        const TimeRange all = snapshot->timeRange;
        const TimeRange latest = snapshot->latestActivity();
        if (latest.startNs > all.startNs)
            m_comparisons.push_back({tr("The activity before %1").arg(TimeFormat::utc(latest.startNs)),
                                     SpanSelection{std::nullopt, {all.startNs, latest.startNs}},
                                     SpanSelection{std::nullopt, latest}});
        if (snapshot->sources.size() > 1) {
            for (const Source& source : snapshot->sources)
                m_comparisons.push_back(
                    {tr("Source %1, %2").arg(source.id).arg(QFileInfo(source.origin).fileName()),
                     SpanSelection{source.id, {}}, std::nullopt});
        }
    }
    const QSignalBlocker blocker(m_baseline);
    m_baseline->clear();
    for (const Comparison& comparison : m_comparisons)
        m_baseline->addItem(comparison.label);
    // As the Suspects dock: a stretch long before the latest is the baseline it was kept for.
    m_baseline->setCurrentIndex(m_comparisons.size() > 1 && !m_comparisons[1].baseline->source ? 1 : 0);
    build();
}

void ReportDialog::build()
{
    const QString path = m_workbench->path();
    if (path.isEmpty() || m_baseline->currentIndex() < 0)
        return;
    Report::Options options;
    const Comparison& comparison = m_comparisons[size_t(m_baseline->currentIndex())];
    options.baseline = comparison.baseline;
    options.incident = comparison.incident;
    options.title = m_title->text();
    if (!m_slo->text().trimmed().isEmpty()) {
        const std::optional<qint64> slo = TimeFormat::parseDuration(m_slo->text().trimmed());
        if (!slo || *slo <= 0) {
            m_status->setText(tr("The SLO is not a duration: type 2s, 500ms or 1.5min."));
            return;
        }
        options.sloNs = slo;
    }
    const quint64 request = ++m_request;
    m_busy = true;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    m_status->setText(tr("Computing the report…"));
    QtConcurrent::run([path, options]() -> Built {
        try {
            const Store store(path);
            return {std::make_shared<const Report>(Report::build(store, options)), {}};
        } catch (const StoreError& error) {
            return {nullptr, error.sentence()};
        }
    }).then(this, [this, request](const Built& built) {
        if (request != m_request)
            return;
        m_busy = false;
        if (!built.report) {
            m_status->setText(built.error);
            return;
        }
        m_report = built.report;
        showPreview();
    });
}

QPageSize::PageSizeId ReportDialog::pageSize() const
{
    return QPageSize::PageSizeId(m_page->currentData().toInt());
}

void ReportDialog::showPreview()
{
    while (QLayoutItem* item = m_pages->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_pageCount = 0;
    if (!m_report)
        return;
    // Drawn on the GUI thread: the charts and the flame graph are widgets.
    const qreal ratio = devicePixelRatioF();
    for (QImage& image : ReportWriter(*m_report, pageSize()).pageImages(ratio)) {
        image.setDevicePixelRatio(ratio);
        auto* page = new QLabel;
        page->setPixmap(QPixmap::fromImage(image));
        m_pages->addWidget(page);
        ++m_pageCount;
    }
    m_status->setText(tr("%n pages. %1", nullptr, m_pageCount).arg(m_report->headline));
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
    Q_EMIT previewed();
}

void ReportDialog::chooseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the report"),
                                                      QFileInfo(m_workbench->path()).completeBaseName() +
                                                          QStringLiteral(".pdf"),
                                                      tr("PDF documents (*.pdf)"));
    if (!path.isEmpty() && save(path))
        accept();
}

bool ReportDialog::save(const QString& path)
{
    if (!m_report)
        return false;
    QString error;
    if (ReportWriter(*m_report, pageSize()).writePdf(path, &error) == 0) {
        m_status->setText(error);
        return false;
    }
    return true;
}

} // namespace lundi
