#include "progressbar.h"

#include <cstdio>
#include <unistd.h>

namespace lundi {

ProgressBar::ProgressBar(const QString& label) : m_label(label), m_enabled(isatty(STDERR_FILENO))
{
    m_sinceDraw.start();
}

ProgressBar::~ProgressBar()
{
    if (m_drawn)
        std::fputs("\r\033[K", stderr);
}

void ProgressBar::update(qint64 done, qint64 total)
{
    if (!m_enabled || total <= 0 || (m_drawn && m_sinceDraw.elapsed() < 100))
        return;
    m_sinceDraw.restart();
    m_drawn = true;
    constexpr int width = 30;
    const int filled = int(width * std::min<qint64>(done, total) / total);
    std::fprintf(stderr, "\r%s [%s%s] %3d%% %.1f/%.1f MB", m_label.toLocal8Bit().constData(),
                 QByteArray(filled, '#').constData(), QByteArray(width - filled, ' ').constData(),
                 int(100 * std::min<qint64>(done, total) / total), double(done) / 1e6, double(total) / 1e6);
    std::fflush(stderr);
}

} // namespace lundi
