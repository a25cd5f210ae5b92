#pragma once

#include "customplot.h"

namespace lundi {

// The flame chart's ruler on a QCustomPlot time axis: the same steps and UTC labels (TimeAxis),
// so a plot under the chart ticks where the chart does. Keys are seconds since originNs: a
// double holds nanoseconds since 1970 only to a quarter of a microsecond.
class TimeAxisTicker : public QCPAxisTicker
{
  public:
    explicit TimeAxisTicker(qint64 originNs) : m_originNs(originNs) {}

    qint64 originNs() const { return m_originNs; }
    double keyOf(qint64 ns) const { return double(ns - m_originNs) / 1e9; }
    qint64 timeOf(double key) const { return m_originNs + qint64(std::llround(key * 1e9)); }

  protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

  private:
    qint64 m_originNs;
    qint64 m_stepNs = 1'000'000'000;
};

} // namespace lundi
