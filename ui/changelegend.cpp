#include "changelegend.h"

#include "changepalette.h"

#include <QPainter>

namespace lundi {

namespace {

constexpr int RampWidth = 160;
constexpr int RampHeight = 12;
constexpr int Gap = 6;

QString points(double share)
{
    return ChangeLegend::tr("%1 pp").arg(QString::number(100 * share, 'f', 1));
}

} // namespace

ChangeLegend::ChangeLegend(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Change in each frame's share of its side's time, in percentage points: red grew, "
                  "blue shrank, grey unchanged"));
}

void ChangeLegend::setScale(double scale)
{
    m_scale = scale;
    updateGeometry();
    update();
}

QSize ChangeLegend::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    const int labels = metrics.horizontalAdvance(tr("shrank −%1").arg(points(m_scale))) +
                       metrics.horizontalAdvance(tr("grew +%1").arg(points(m_scale)));
    return QSize(labels + RampWidth + 2 * Gap, std::max(metrics.height(), RampHeight) + 4);
}

void ChangeLegend::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QFontMetrics metrics = fontMetrics();
    const QString left = tr("shrank −%1").arg(points(m_scale));
    const QString right = tr("grew +%1").arg(points(m_scale));
    const int leftWidth = metrics.horizontalAdvance(left);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, leftWidth, height()), Qt::AlignVCenter | Qt::AlignLeft, left);
    const int rampLeft = leftWidth + Gap;
    const int top = (height() - RampHeight) / 2;
    // One column per pixel, coloured as a frame with that change would be.
    for (int x = 0; x < RampWidth; ++x) {
        const double change = m_scale * (2.0 * (x + 0.5) / RampWidth - 1.0);
        painter.fillRect(QRect(rampLeft + x, top, 1, RampHeight), ChangePalette::fill(change, m_scale));
    }
    painter.setPen(QColor(0, 0, 0, 90));
    painter.drawRect(QRectF(rampLeft - 0.5, top - 0.5, RampWidth, RampHeight));
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(rampLeft + RampWidth + Gap, 0, width(), height()),
                     Qt::AlignVCenter | Qt::AlignLeft, right);
}

} // namespace lundi
