#include "reportwriter.h"

#include "categorypalette.h"
#include "changelegend.h"
#include "customplot.h"
#include "flamegraphview.h"
#include "reportcharts.h"
#include "timeformat.h"

#include <QBuffer>
#include <QDateTime>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QPdfWriter>
#include <QSaveFile>
#include <QStyle>
#include <QTextLayout>
#include <QTimeZone>

#include <cmath>

namespace lundi {

namespace {

// The page, in pixels of 1/96 inch.
constexpr double SideMargin = 56;
constexpr double TopMargin = 64;
constexpr double BottomMargin = 60;
constexpr double HeaderTop = 28;
constexpr double FooterBottom = 28;
constexpr double ParagraphGap = 5;
constexpr double SectionGap = 14;
constexpr double CellPadding = 4;
constexpr double KeyWidth = 112;
constexpr int MaxFlameHeight = 520;
constexpr int MaxTitleSources = 6;
constexpr int KeptLines = 6;

const QColor Ink(20, 20, 20);
const QColor Faint(100, 100, 100);
const QColor Rule(190, 190, 190);
const QColor HeaderFill(232, 235, 240);
const QColor StripeFill(246, 247, 249);

struct Fonts
{
    QFont title;
    QFont heading;
    QFont subheading;
    QFont body;
    QFont bold;
    QFont small;
    QFont mono;
};

Fonts fonts()
{
    QFont base = QGuiApplication::font();
    base.setStyleHint(QFont::SansSerif);
    // No ligatures: "fl" stays two letters for whoever copies or searches the PDF's text.
    base.setStyleStrategy(QFont::PreferNoShaping);
    const auto sized = [&base](double points, bool bold) {
        QFont font = base;
        font.setPointSizeF(points);
        font.setBold(bold);
        return font;
    };
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(7.5);
    mono.setStyleStrategy(QFont::PreferNoShaping);
    return {sized(20, true),
            sized(13.5, true),
            sized(10.5, true),
            sized(9.5, false),
            sized(9.5, true),
            sized(8, false),
            mono};
}

QString signedDuration(qint64 ns)
{
    return ns > 0   ? QLatin1Char('+') + TimeFormat::duration(ns)
           : ns < 0 ? QStringLiteral("−") + TimeFormat::duration(-ns)
                    : QStringLiteral("0");
}

// "×21.7" or "+16.0%": how a figure changed from the baseline.
QString ratio(double before, double after)
{
    return before > 0 ? QStringLiteral("×%1").arg(QString::number(after / before, 'f', 1))
                      : QStringLiteral("–");
}

QString growth(double before, double after)
{
    if (before <= 0)
        return QStringLiteral("–");
    const double change = (after - before) / before;
    return (change >= 0 ? QStringLiteral("+") : QStringLiteral("−")) + Report::percent(std::abs(change));
}

struct Column
{
    QString title;
    double width = 0; // a share of the content's width
    Qt::Alignment align = Qt::AlignLeft;
    Qt::TextElideMode elide = Qt::ElideRight;
};

struct Row
{
    QStringList cells;
    QColor swatch; // a category's colour before the first cell, when valid
};

// The flow of the report over pages: a cursor that moves down the content area, and a page
// break (footer, next page, header) where the next thing does not fit. In a dry run nothing is
// painted, only the pages counted, so that every footer can say "of N".
class PageLayout
{
  public:
    PageLayout(QCPPainter& painter, QSizeF page, const Fonts& fonts, const Report& report,
               std::function<void()> newPage, int pageCount, bool dry)
        : m_painter(painter), m_page(page), m_fonts(fonts), m_report(report), m_newPage(std::move(newPage)),
          m_pageCount(pageCount), m_dry(dry), m_content(SideMargin, TopMargin, page.width() - 2 * SideMargin,
                                                        page.height() - TopMargin - BottomMargin),
          m_y(m_content.top())
    {
        header();
    }

    QCPPainter& painter() { return m_painter; }
    bool dry() const { return m_dry; }
    int pages() const { return m_pageNumber; }
    double width() const { return m_content.width(); }
    double remaining() const { return m_content.bottom() - m_y; }
    bool atTop() const { return m_y <= m_content.top(); }

    void finish() { footer(); }

    void breakPage()
    {
        footer();
        ++m_pageNumber;
        if (!m_dry && m_newPage)
            m_newPage();
        m_y = m_content.top();
        header();
    }

    // Breaks the page unless height fits below the cursor (or nothing would fit better).
    void need(double height)
    {
        if (m_y + height > m_content.bottom() && !atTop())
            breakPage();
    }

    void space(double height)
    {
        if (!atTop())
            m_y = std::min(m_y + height, m_content.bottom());
    }

    void heading(const QString& text)
    {
        // Never alone at the foot of a page.
        need(lineHeight(m_fonts.heading) + 4 * lineHeight(m_fonts.body));
        space(SectionGap);
        paragraph(text, m_fonts.heading, 0, {}, Ink);
        if (!m_dry) {
            m_painter.setPen(QPen(Rule, 1));
            m_painter.drawLine(QPointF(m_content.left(), m_y), QPointF(m_content.right(), m_y));
        }
        m_y += 6;
    }

    void subheading(const QString& text)
    {
        // With the start of what it heads: a table's header and first rows.
        need(lineHeight(m_fonts.subheading) + 8 + 5 * lineHeight(m_fonts.body));
        space(8);
        paragraph(text, m_fonts.subheading, 0, {}, Ink);
    }

    // Plain text, wrapped at word boundaries (anywhere in a word longer than the line), broken
    // across pages between lines; marker (a bullet, "2.") hangs left of the first line.
    void paragraph(const QString& text, const QFont& font, double indent = 0, const QString& marker = {},
                   const QColor& colour = Ink)
    {
        QTextLayout layout(text, font, m_painter.device());
        QTextOption option;
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout.setTextOption(option);
        layout.beginLayout();
        double height = 0;
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(m_content.width() - indent);
            line.setPosition(QPointF(0, height));
            height += line.height();
        }
        layout.endLayout();
        // A short paragraph stays on one page.
        if (layout.lineCount() <= KeptLines)
            need(height);
        for (int i = 0; i < layout.lineCount(); ++i) {
            const QTextLine line = layout.lineAt(i);
            need(line.height());
            if (!m_dry) {
                m_painter.setPen(colour);
                m_painter.setFont(font);
                line.draw(&m_painter, QPointF(m_content.left() + indent, m_y - line.y()));
                if (i == 0 && !marker.isEmpty())
                    m_painter.drawText(QRectF(m_content.left(), m_y, indent - 4, line.height()),
                                       Qt::AlignRight | Qt::AlignTop, marker);
            }
            m_y += line.height();
        }
        m_y += ParagraphGap;
    }

    // A key in bold on the left, its value wrapped beside it.
    void keyValue(const QString& key, const QString& value)
    {
        need(lineHeight(m_fonts.body));
        if (!m_dry) {
            m_painter.setPen(Faint);
            m_painter.setFont(m_fonts.bold);
            m_painter.drawText(QRectF(m_content.left(), m_y, KeyWidth - 8, lineHeight(m_fonts.body)),
                               Qt::AlignLeft | Qt::AlignTop,
                               QFontMetricsF(m_fonts.bold, m_painter.device())
                                   .elidedText(key, Qt::ElideRight, KeyWidth - 8));
        }
        paragraph(value, m_fonts.body, KeyWidth);
        m_y -= ParagraphGap - 1;
    }

    // A table with a header row (repeated after a page break) and cells elided to fit.
    void table(const std::vector<Column>& columns, const std::vector<Row>& rows, const QFont& font)
    {
        const QFontMetricsF metrics(font, m_painter.device());
        QFont bold = font;
        bold.setBold(true);
        const QFontMetricsF boldMetrics(bold, m_painter.device());
        const double height = std::ceil(metrics.height() + 2 * CellPadding);
        const double swatch = std::round(metrics.ascent() * 0.8);
        const auto drawRow = [&](const QStringList& cells, const QFont& rowFont,
                                 const QFontMetricsF& rowMetrics, const QColor& fill, const QColor& mark) {
            if (!m_dry) {
                if (fill.isValid())
                    m_painter.fillRect(QRectF(m_content.left(), m_y, m_content.width(), height), fill);
                m_painter.setFont(rowFont);
                m_painter.setPen(Ink);
                double x = m_content.left();
                for (size_t c = 0; c < columns.size(); ++c) {
                    const double w = columns[c].width * m_content.width();
                    QRectF cell(x + CellPadding, m_y, w - 2 * CellPadding, height);
                    if (c == 0 && mark.isValid()) {
                        m_painter.fillRect(QRectF(cell.left(), m_y + (height - swatch) / 2, swatch, swatch),
                                           mark);
                        cell.setLeft(cell.left() + swatch + CellPadding);
                    }
                    const QString text = c < size_t(cells.size()) ? cells[qsizetype(c)] : QString();
                    m_painter.drawText(cell, columns[c].align | Qt::AlignVCenter,
                                       rowMetrics.elidedText(text, columns[c].elide, cell.width()));
                    x += w;
                }
            }
            m_y += height;
        };
        QStringList titles;
        for (const Column& column : columns)
            titles.append(column.title);
        need(3 * height);
        drawRow(titles, bold, boldMetrics, HeaderFill, {});
        for (size_t r = 0; r < rows.size(); ++r) {
            if (m_y + height > m_content.bottom()) {
                breakPage();
                drawRow(titles, bold, boldMetrics, HeaderFill, {});
            }
            drawRow(rows[r].cells, font, metrics, r % 2 ? StripeFill : QColor(), rows[r].swatch);
        }
        if (!m_dry) {
            m_painter.setPen(QPen(Rule, 1));
            m_painter.drawLine(QPointF(m_content.left(), m_y), QPointF(m_content.right(), m_y));
        }
        m_y += ParagraphGap + 2;
    }

    // Something drawn in a box of the content's width: on this page if it fits.
    void figure(double height, const std::function<void(const QRectF&)>& draw)
    {
        need(height);
        if (!m_dry)
            draw(QRectF(m_content.left(), m_y, m_content.width(), height));
        m_y += height + ParagraphGap;
    }

    double lineHeight(const QFont& font) const
    {
        return QFontMetricsF(font, m_painter.device()).lineSpacing();
    }

  private:
    void header()
    {
        if (m_dry)
            return;
        const QFontMetricsF metrics(m_fonts.small, m_painter.device());
        const double half = m_content.width() / 2 - 8;
        const QRectF band(m_content.left(), HeaderTop, m_content.width(), metrics.height());
        m_painter.setFont(m_fonts.small);
        m_painter.setPen(Faint);
        m_painter.drawText(band, Qt::AlignLeft | Qt::AlignVCenter,
                           metrics.elidedText(m_report.title, Qt::ElideRight, half));
        m_painter.drawText(band, Qt::AlignRight | Qt::AlignVCenter,
                           metrics.elidedText(m_report.incident.windowText, Qt::ElideLeft, half));
        m_painter.setPen(QPen(Rule, 1));
        m_painter.drawLine(QPointF(band.left(), band.bottom() + 4), QPointF(band.right(), band.bottom() + 4));
    }

    void footer()
    {
        if (m_dry)
            return;
        const QFontMetricsF metrics(m_fonts.small, m_painter.device());
        const QRectF band(m_content.left(), m_page.height() - FooterBottom - metrics.height(),
                          m_content.width(), metrics.height());
        const QString number = m_pageCount > 0
                                   ? QStringLiteral("Page %1 of %2").arg(m_pageNumber).arg(m_pageCount)
                                   : QStringLiteral("Page %1").arg(m_pageNumber);
        m_painter.setFont(m_fonts.small);
        m_painter.setPen(Faint);
        m_painter.drawText(band, Qt::AlignRight | Qt::AlignVCenter, number);
        m_painter.drawText(
            band, Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(
                QStringLiteral("Generated by %1 from %2").arg(m_report.generatedBy, m_report.incidentFile),
                Qt::ElideMiddle, band.width() - metrics.horizontalAdvance(number) - 24));
    }

    QCPPainter& m_painter;
    QSizeF m_page;
    const Fonts& m_fonts;
    const Report& m_report;
    std::function<void()> m_newPage;
    int m_pageCount;
    bool m_dry;
    QRectF m_content;
    double m_y;
    int m_pageNumber = 1;
};

void drawPlot(QCPPainter& painter, QCustomPlot& plot, const QRectF& rect)
{
    painter.save();
    painter.translate(rect.topLeft());
    plot.toPainter(&painter, int(rect.width()), int(rect.height()));
    painter.restore();
}

// A widget drawn into the page as its paint events draw it, in a light palette whatever the
// desktop's, without its children (the flame graph's scroll bar).
void drawWidget(QCPPainter& painter, QWidget& widget, const QPointF& at)
{
    painter.save();
    painter.translate(at);
    widget.render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground);
    painter.restore();
}

void titleBlock(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.paragraph(report.title, fonts.title);
    page.space(4);
    const auto sideText = [](const Report::Side& side) {
        return side.label == side.windowText ? side.label
                                             : QStringLiteral("%1: %2").arg(side.label, side.windowText);
    };
    page.keyValue(QStringLiteral("Incident"), sideText(report.incident));
    if (report.baseline)
        page.keyValue(QStringLiteral("Baseline"), sideText(*report.baseline));
    if (report.sloNs)
        page.keyValue(QStringLiteral("SLO"), TimeFormat::duration(*report.sloNs));
    QStringList sources;
    for (size_t i = 0; i < report.sources.size() && i < size_t(MaxTitleSources); ++i) {
        const Source& source = report.sources[i].source;
        sources.append(QStringLiteral("%1 (%2)").arg(report.sources[i].name, source.format));
    }
    if (report.sources.size() > size_t(MaxTitleSources))
        sources.append(QStringLiteral("and %1 more (see the appendix)")
                           .arg(Report::count(qint64(report.sources.size()) - MaxTitleSources)));
    page.keyValue(QStringLiteral("Sources"),
                  sources.isEmpty() ? QStringLiteral("none") : sources.join(QStringLiteral("; ")));
    page.keyValue(QStringLiteral("Generated by"),
                  QStringLiteral("%1 from %2").arg(report.generatedBy, report.incidentFile));
}

void summary(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Executive summary"));
    for (const QString& sentence : report.whatHappened)
        page.paragraph(sentence, fonts.body);
    if (!report.headline.isEmpty())
        page.paragraph(report.headline, fonts.bold);
    if (report.incident.overview.summary.requests == 0)
        return;
    const std::unique_ptr<QCustomPlot> chart = ReportCharts::categories(report, fonts.small);
    const int rows = chart->yAxis->ticker().staticCast<QCPAxisTickerText>()->ticks().size();
    // One page at most: the chart shrinks to what is left of it, down to a readable height.
    const double wanted = 70 + rows * (report.baseline ? 36 : 26);
    const double caption = 2 * page.lineHeight(fonts.small) + ParagraphGap;
    const double height = std::max(150.0, std::min(wanted, page.remaining() - caption - 8));
    page.space(6);
    page.figure(height, [&](const QRectF& rect) { drawPlot(page.painter(), *chart, rect); });
    page.paragraph(
        report.baseline
            ? QStringLiteral("Critical-path time per request by category: what the requests waited for, "
                             "in the baseline (grey) and in the incident (red).")
            : QStringLiteral("Critical-path time per request by category: what the requests waited for."),
        fonts.small, 0, {}, Faint);
}

void impact(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Impact"));
    const Breakdown::Summary& after = report.incident.overview.summary;
    if (after.requests == 0) {
        page.paragraph(QStringLiteral("The incident holds no requests: there is no latency to measure."),
                       fonts.body);
        return;
    }
    const auto a = after.latency.percentiles();
    std::vector<Column> columns{{QStringLiteral("Requests"), 0.34},
                                {QStringLiteral("Baseline"), 0.22, Qt::AlignRight},
                                {QStringLiteral("Incident"), 0.22, Qt::AlignRight},
                                {QStringLiteral("Change"), 0.22, Qt::AlignRight}};
    std::vector<Row> rows;
    const Breakdown::Summary* before = report.baseline ? &report.baseline->overview.summary : nullptr;
    const auto b = before ? before->latency.percentiles() : DurationDistribution::Percentiles{};
    const auto both = [&](const QString& name, qint64 x, qint64 y, bool durations) {
        rows.push_back(
            {{name, before ? (durations ? TimeFormat::duration(x) : Report::count(x)) : QStringLiteral("–"),
              durations ? TimeFormat::duration(y) : Report::count(y),
              before ? (durations ? ratio(double(x), double(y)) : growth(double(x), double(y)))
                     : QStringLiteral("–")},
             {}});
    };
    both(QStringLiteral("Requests"), before ? before->requests : 0, after.requests, false);
    both(QStringLiteral("Latency p50"), b.p50, a.p50, true);
    both(QStringLiteral("Latency p95"), b.p95, a.p95, true);
    both(QStringLiteral("Latency p99"), b.p99, a.p99, true);
    const auto overRow = [&](const QString& name, qint64 threshold) {
        const auto text = [&](const DurationDistribution& d) {
            return QStringLiteral("%1 (%2)").arg(Report::count(d.countOver(threshold)),
                                                 Report::percent(d.shareOver(threshold)));
        };
        rows.push_back({{name, before ? text(before->latency) : QStringLiteral("–"), text(after.latency),
                         QStringLiteral("")},
                        {}});
    };
    if (report.sloNs)
        overRow(QStringLiteral("Over the %1 SLO").arg(TimeFormat::duration(*report.sloNs)), *report.sloNs);
    if (before && before->requests > 0)
        overRow(QStringLiteral("Over the baseline's p95"), b.p95);
    page.table(columns, rows, fonts.body);
    page.paragraph(
        QStringLiteral("Percentiles are nearest-rank: each is the latency of a request that occurred. A "
                       "request is a root span (a trace), counted in the window where it started."),
        fonts.small, 0, {}, Faint);
}

void timeline(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Timeline"));
    std::vector<std::unique_ptr<QCustomPlot>> panels =
        ReportCharts::timeline(report, fonts.small, int(page.width()));
    if (panels.empty()) {
        page.paragraph(
            QStringLiteral("Nothing to draw: the incident has no requests, and none of its metrics "
                           "changed."),
            fonts.body);
        return;
    }
    const bool latency = report.incident.overview.summary.requests > 0;
    std::vector<double> heights;
    double total = 0;
    for (size_t p = 0; p < panels.size(); ++p) {
        heights.push_back(latency && p == 0 ? 260 : 180);
        total += heights.back();
    }
    page.figure(total, [&](const QRectF& rect) {
        double y = rect.top();
        for (size_t p = 0; p < panels.size(); ++p) {
            drawPlot(page.painter(), *panels[p], QRectF(rect.left(), y, rect.width(), heights[p]));
            y += heights[p];
        }
    });
    QStringList caption;
    if (!report.timeline.focus.isEmpty())
        caption.append(QStringLiteral("Drawn: %1.").arg(report.timeline.focus));
    if (latency)
        caption.append(QStringLiteral("p50, p95 and p99 latency of the requests that started in each %1.")
                           .arg(TimeFormat::duration(report.timeline.overview.stepNs)));
    if (report.timeline.changeStartNs)
        caption.append(
            QStringLiteral("The dashed line marks where the change started: the first %1 whose p95 "
                           "exceeded %2.")
                .arg(TimeFormat::duration(report.timeline.overview.stepNs), report.timeline.referenceLabel));
    for (const Report::Timeline::Metric& metric : report.timeline.metrics)
        caption.append(QStringLiteral("%1 %2 %3.")
                           .arg(latency ? QStringLiteral("Under it:") : QStringLiteral("Metric:"),
                                metric.title, metric.why));
    if (latency && report.timeline.metrics.empty())
        caption.append(QStringLiteral("No metric moved with the latency."));
    page.paragraph(caption.join(QLatin1Char(' ')), fonts.small, 0, {}, Faint);
}

void contributors(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Top contributors"));
    if (!report.suspects.suspects.empty()) {
        page.subheading(report.baseline ? QStringLiteral("What grew on the slowest requests' critical path")
                                        : QStringLiteral("What the slowest requests waited for"));
        for (const Suspects::Suspect& suspect : report.suspects.suspects)
            page.paragraph(suspect.evidence, fonts.body, 22, QStringLiteral("%1.").arg(suspect.rank));
    }
    const bool withBaseline = report.diff != nullptr;
    const auto rowOf = [&](const Report::Contributor& row, const QString& name) {
        QStringList cells{name};
        if (withBaseline)
            cells << TimeFormat::duration(row.baselineNs) << TimeFormat::duration(row.incidentNs)
                  << signedDuration(row.incidentNs - row.baselineNs) << Report::percent(row.share);
        else
            cells << TimeFormat::duration(row.incidentNs) << Report::percent(row.share);
        return Row{cells, CategoryPalette::fill(row.category)};
    };
    const auto columnsFor = [&](const QString& first, double width) {
        std::vector<Column> columns{{first, width, Qt::AlignLeft, Qt::ElideLeft}};
        const double rest = 1 - width;
        if (withBaseline) {
            columns.push_back({QStringLiteral("Baseline"), rest * 0.24, Qt::AlignRight});
            columns.push_back({QStringLiteral("Incident"), rest * 0.24, Qt::AlignRight});
            columns.push_back({QStringLiteral("Δ"), rest * 0.28, Qt::AlignRight});
            columns.push_back({QStringLiteral("Share"), rest * 0.24, Qt::AlignRight});
        } else {
            columns.push_back({QStringLiteral("Per request"), rest * 0.5, Qt::AlignRight});
            columns.push_back({QStringLiteral("Share"), rest * 0.5, Qt::AlignRight});
        }
        return columns;
    };
    if (report.categories.empty() && report.paths.empty()) {
        page.paragraph(withBaseline
                           ? QStringLiteral("No category or call path changed its critical-path time per "
                                            "request by 1% of the mean latency or more.")
                           : QStringLiteral("The incident has no requests."),
                       fonts.body);
        return;
    }
    page.subheading(QStringLiteral("By category"));
    std::vector<Row> rows;
    for (const Report::Contributor& row : report.categories)
        rows.push_back(rowOf(row, categoryName(row.category)));
    page.table(columnsFor(QStringLiteral("Category"), 0.4), rows, fonts.body);
    page.subheading(QStringLiteral("By call path"));
    rows.clear();
    for (const Report::Contributor& row : report.paths)
        rows.push_back(rowOf(row, row.status == QLatin1String("new") ? row.name + QStringLiteral(" (new)")
                                  : row.status == QLatin1String("missing")
                                      ? row.name + QStringLiteral(" (gone)")
                                      : row.name));
    page.table(columnsFor(QStringLiteral("Call path (from the root)"), 0.52), rows, fonts.small);
    page.paragraph(withBaseline
                       ? QStringLiteral("Critical-path time per request (its mean over the requests, those "
                                        "without it counting as 0) in the baseline and the incident; Δ is "
                                        "the change and Share its part of the change of the mean latency "
                                        "(%1 to %2). Long paths show their end.")
                             .arg(TimeFormat::duration(report.diff->baseline.meanNs),
                                  TimeFormat::duration(report.diff->incident.meanNs))
                       : QStringLiteral("Critical-path time per request (its mean over the requests) and its "
                                        "share of their latency. Long paths show their end."),
                   fonts.small, 0, {}, Faint);
}

void flameGraph(PageLayout& page, const Report& report, const Fonts& fonts)
{
    if (!report.diff && (!report.flame || report.flame->nodes().front().totalNs == 0)) {
        page.subheading(QStringLiteral("Flame graph"));
        page.paragraph(QStringLiteral("The incident has no spans to draw."), fonts.body);
        return;
    }
    FlameGraphView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setPalette(view.style()->standardPalette());
    view.setFont(fonts.small);
    ChangeLegend legend;
    legend.setPalette(view.palette());
    legend.setFont(fonts.small);
    if (report.diff) {
        const FlameDiff& flame = report.diff->flame;
        auto changes = std::make_shared<std::vector<double>>(flame.changes().size());
        for (size_t n = 0; n < changes->size(); ++n)
            (*changes)[n] = flame.changes()[n].shareChange();
        view.setChanges(std::move(changes), flame.largestChange());
        view.setTree(std::shared_ptr<const FlameTree>(report.diff, &flame.tree(FlameDiff::Widths::Incident)),
                     report.names);
        view.setCaption(QStringLiteral("widths: the incident's time; colours: the change of share"));
        legend.setScale(flame.largestChange());
    } else {
        view.setTree(report.flame, report.names);
        view.setCaption(QStringLiteral("widths: time; colours: category"));
    }
    const int width = int(page.width());
    view.resize(width, MaxFlameHeight);
    const int height = std::min(view.contentHeight(), MaxFlameHeight);
    view.resize(width, std::max(height, 60));
    page.subheading(report.diff ? QStringLiteral("Differential flame graph") : QStringLiteral("Flame graph"));
    if (report.diff) {
        legend.resize(legend.sizeHint());
        page.figure(legend.height(),
                    [&](const QRectF& rect) { drawWidget(page.painter(), legend, rect.topLeft()); });
    }
    page.figure(view.height(), [&](const QRectF& rect) { drawWidget(page.painter(), view, rect.topLeft()); });
    page.paragraph(
        report.diff
            ? QStringLiteral("Every call stack of the incident, roots at the top, as wide as its share of "
                             "the incident's span time; red grew and blue shrank as a share of each side's "
                             "time, so that more traffic alone changes no colour. Frames too narrow to "
                             "label are merged.")
            : QStringLiteral("Every call stack of the incident, roots at the top, as wide as its share of "
                             "the span time, coloured by category. Frames too narrow to label are merged."),
        fonts.small, 0, {}, Faint);
}

void evidence(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Evidence"));
    flameGraph(page, report, fonts);

    if (!report.probes.empty()) {
        page.subheading(QStringLiteral("HTTP probes: time by phase"));
        std::vector<Column> columns{{QStringLiteral("Target"), 0.3, Qt::AlignLeft, Qt::ElideMiddle},
                                    {QStringLiteral("Runs"), 0.07, Qt::AlignRight}};
        for (const char* phase : Report::ProbePhases)
            columns.push_back({QLatin1String(phase), 0.09, Qt::AlignRight});
        columns.push_back({QStringLiteral("p50 / p95"), 0.18, Qt::AlignRight});
        std::vector<Row> rows;
        for (const Report::ProbeTarget& probe : report.probes) {
            QStringList cells{probe.target, probe.failures ? QStringLiteral("%1 (%2 failed)")
                                                                 .arg(Report::count(probe.runs),
                                                                      Report::count(probe.failures))
                                                           : Report::count(probe.runs)};
            for (const qint64 ns : probe.phaseP50Ns)
                cells.append(TimeFormat::duration(ns));
            cells.append(QStringLiteral("%1 / %2").arg(TimeFormat::duration(probe.total.p50),
                                                       TimeFormat::duration(probe.total.p95)));
            rows.push_back({cells, {}});
        }
        page.table(columns, rows, fonts.small);
        page.paragraph(
            QStringLiteral("The median of each phase over the probe's runs in the incident window, and "
                           "of the whole request."),
            fonts.small, 0, {}, Faint);
    }

    page.subheading(QStringLiteral("Compliance checks"));
    if (report.compliance.empty()) {
        page.paragraph(
            QStringLiteral("The incident has no compliance checks (spans of category compliance)."),
            fonts.body);
    } else {
        std::vector<Column> columns{{QStringLiteral("Check"), 0.4, Qt::AlignLeft, Qt::ElideMiddle},
                                    {QStringLiteral("Count"), 0.12, Qt::AlignRight},
                                    {QStringLiteral("p50"), 0.14, Qt::AlignRight},
                                    {QStringLiteral("p95"), 0.14, Qt::AlignRight},
                                    {QStringLiteral("Critical path"), 0.2, Qt::AlignRight}};
        std::vector<Row> rows;
        for (const Report::ComplianceCheck& check : report.compliance)
            rows.push_back({{check.name, Report::count(check.count), TimeFormat::duration(check.duration.p50),
                             TimeFormat::duration(check.duration.p95), Report::percent(check.criticalShare)},
                            CategoryPalette::fill(Category::Compliance)});
        page.table(columns, rows, fonts.body);
        page.paragraph(
            QStringLiteral("Compliance is %1 of the requests' critical path. Count, p50 and p95 are of "
                           "each check's spans; Critical path is its share of the requests' summed "
                           "latency.")
                .arg(Report::percent(report.complianceShare)),
            fonts.small, 0, {}, Faint);
    }

    page.subheading(QStringLiteral("Metrics that moved with the latency"));
    if (!report.correlated.empty()) {
        std::vector<Column> columns{{QStringLiteral("Series"), 0.64, Qt::AlignLeft, Qt::ElideMiddle},
                                    {QStringLiteral("ρ"), 0.1, Qt::AlignRight},
                                    {QStringLiteral("Lag"), 0.14, Qt::AlignRight},
                                    {QStringLiteral("Points"), 0.12, Qt::AlignRight}};
        std::vector<Row> rows;
        for (const Report::Correlated& row : report.correlated)
            rows.push_back({{row.title, QString::number(row.rho, 'f', 2), signedDuration(row.lagNs),
                             Report::count(row.points)},
                            {}});
        page.table(columns, rows, fonts.small);
    }
    page.paragraph(report.correlationNote, report.correlated.empty() ? fonts.body : fonts.small, 0, {},
                   report.correlated.empty() ? Ink : Faint);
}

void caveats(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Caveats"));
    for (const QString& caveat : report.caveats)
        page.paragraph(caveat, fonts.body, 16, QStringLiteral("•"));
}

void appendix(PageLayout& page, const Report& report, const Fonts& fonts)
{
    page.heading(QStringLiteral("Appendix"));
    page.subheading(QStringLiteral("Sources"));
    std::vector<Column> columns{{QStringLiteral("#"), 0.06, Qt::AlignRight},
                                {QStringLiteral("Format"), 0.16},
                                {QStringLiteral("File or URL"), 0.36, Qt::AlignLeft, Qt::ElideMiddle},
                                {QStringLiteral("Spans"), 0.14, Qt::AlignRight},
                                {QStringLiteral("Samples"), 0.14, Qt::AlignRight},
                                {QStringLiteral("Offset"), 0.14, Qt::AlignRight}};
    std::vector<Row> rows;
    for (const Report::SourceRow& row : report.sources)
        rows.push_back(
            {{QString::number(row.source.id), row.source.format, row.name,
              Report::count(row.source.spanCount), Report::count(row.source.sampleCount),
              row.source.clockOffsetNs ? signedDuration(row.source.clockOffsetNs) : QStringLiteral("0")},
             {}});
    page.table(columns, rows, fonts.small);
    page.subheading(QStringLiteral("Content hashes (SHA-256)"));
    for (const Report::SourceRow& row : report.sources)
        page.paragraph(row.source.sha256, fonts.mono, 30, QString::number(row.source.id));
    page.subheading(QStringLiteral("Category rules"));
    page.paragraph(
        QStringLiteral("Each span has the category of the first rule whose every condition matches "
                       "(case-insensitive regular expressions), else other. These are %1, the rules "
                       "in effect where this report was made; the incident keeps the categories its "
                       "spans were given when they were last classified.")
            .arg(report.rulesOrigin),
        fonts.small, 0, {}, Faint);
    for (qsizetype i = 0; i < report.rules.size(); ++i)
        page.paragraph(report.rules[i], fonts.mono, 30, QStringLiteral("%1.").arg(i + 1));
}

// Qt stamps a PDF with the time it was written. The report's content is the incident's, so it
// takes the time the incident last changed (its latest import) instead, and the same incident
// and options give the same bytes. Same length, so the cross-reference offsets stay right.
void stampCreationDate(QByteArray& pdf, const Report& report)
{
    qint64 ns = report.incident.window.endNs;
    for (const Report::SourceRow& row : report.sources)
        ns = std::max(ns, row.source.importedAtNs);
    static const QByteArray Key = QByteArrayLiteral("/CreationDate (D:");
    const qsizetype digits = pdf.indexOf(Key) + Key.size();
    const QByteArray date = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, QTimeZone::utc())
                                .toString(QStringLiteral("yyyyMMddHHmmss"))
                                .toLatin1();
    if (digits < Key.size() || date.size() != 14 || pdf.size() < digits + 21)
        return;
    pdf.replace(digits, 14, date);
    // A zone other than UTC, "+01'00'", as long as "+00'00'".
    if (pdf[digits + 14] == '+' || pdf[digits + 14] == '-')
        pdf.replace(digits + 14, 7, QByteArrayLiteral("+00'00'"));
}

} // namespace

ReportWriter::ReportWriter(const Report& report, QPageSize::PageSizeId page) : m_report(report), m_page(page)
{
}

int ReportWriter::paint(QCPPainter& painter, const std::function<void()>& newPage, int pageCount,
                        bool dry) const
{
    const Fonts f = fonts();
    PageLayout page(painter, m_page.size(QPageSize::Inch) * Dpi, f, m_report, newPage, pageCount, dry);
    titleBlock(page, m_report, f);
    summary(page, m_report, f);
    // The summary is one page: the rest starts on the next.
    page.breakPage();
    impact(page, m_report, f);
    timeline(page, m_report, f);
    contributors(page, m_report, f);
    evidence(page, m_report, f);
    caveats(page, m_report, f);
    appendix(page, m_report, f);
    page.finish();
    return page.pages();
}

int ReportWriter::writePdf(const QString& path, QString* error) const
{
    const auto fail = [error](const QString& sentence) {
        if (error)
            *error = sentence;
        return 0;
    };
    int pages = 0;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setResolution(Dpi);
        writer.setPageLayout(QPageLayout(m_page, QPageLayout::Portrait, QMarginsF()));
        writer.setTitle(m_report.title);
        writer.setCreator(m_report.generatedBy);
        QCPPainter painter;
        if (!painter.begin(&writer))
            return fail(QStringLiteral("%1: cannot paint the PDF.").arg(path));
        pages = paint(painter, {}, 0, true);
        paint(
            painter, [&writer] { writer.newPage(); }, pages, false);
        painter.end();
    }
    QByteArray pdf = buffer.data();
    stampCreationDate(pdf, m_report);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pdf) != pdf.size() || !file.commit())
        return fail(QStringLiteral("%1: %2.").arg(path, file.errorString()));
    return pages;
}

std::vector<QImage> ReportWriter::pageImages(double scale) const
{
    const QSizeF size = m_page.size(QPageSize::Inch) * Dpi;
    std::vector<QImage> images;
    const auto blank = [&] {
        QImage image((size * scale).toSize(), QImage::Format_RGB32);
        image.fill(Qt::white);
        // Fonts are sized at 96 dpi and scaled with the painter, as on the PDF.
        image.setDotsPerMeterX(qRound(Dpi / 0.0254));
        image.setDotsPerMeterY(qRound(Dpi / 0.0254));
        return image;
    };
    images.push_back(blank());
    QCPPainter painter(&images.back());
    painter.scale(scale, scale);
    const int pages = paint(painter, {}, 0, true);
    paint(
        painter,
        [&] {
            painter.end();
            images.push_back(blank());
            painter.begin(&images.back());
            painter.scale(scale, scale);
        },
        pages, false);
    painter.end();
    return images;
}

} // namespace lundi
