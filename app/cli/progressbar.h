#pragma once

#include <QElapsedTimer>
#include <QString>

namespace lundi {

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class ProgressBar
{
  public:
    explicit ProgressBar(const QString& label);
    ~ProgressBar();
    void update(qint64 done, qint64 total);

  private:
    QString m_label;
    bool m_enabled = false;
    bool m_drawn = false;
    QElapsedTimer m_sinceDraw;
};

} // namespace lundi
