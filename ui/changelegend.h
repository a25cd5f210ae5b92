#pragma once

#include <QWidget>

namespace lundi {

// The scale of a differential flame graph's colours: a ramp from blue (shrank) through grey
// (unchanged) to red (grew), labelled with the largest change in percentage points of the share
// of time.
class ChangeLegend : public QWidget
{
    Q_OBJECT

  public:
    explicit ChangeLegend(QWidget* parent = nullptr);

    // The largest change, a share (0 to 1), that the ends of the ramp stand for.
    void setScale(double scale);
    double scale() const { return m_scale; }

    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    double m_scale = 0;
};

} // namespace lundi
