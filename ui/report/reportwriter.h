#pragma once

#include "report.h"

#include <QImage>
#include <QPageSize>

#include <functional>
#include <vector>

class QCPPainter;

namespace lundi {

// Lays a Report out on pages and paints it: into a PDF (QPdfWriter; text stays text and the
// charts stay vectors) or into images for a preview. Every page has a running header (the
// title and the incident window) and a footer with its number; sections follow the report's
// order, tables repeat their header after a page break, and every piece of text from the
// incident is plain text, elided where a cell is too narrow and wrapped in paragraphs.
//
// Lengths are in pixels of 1/96 inch, so that fonts, charts and the flame graph widget agree
// on one scale whatever the device.
class ReportWriter
{
  public:
    static constexpr int Dpi = 96;

    explicit ReportWriter(const Report& report, QPageSize::PageSizeId page = QPageSize::A4);

    // Writes the PDF, replacing path only once it is complete: its number of pages, or 0 with a
    // sentence in *error.
    int writePdf(const QString& path, QString* error = nullptr) const;
    // The pages as images, scale times 96 dpi.
    std::vector<QImage> pageImages(double scale = 1) const;

  private:
    // Lays the pages out: first without painting, to count them; newPage starts the next one.
    int paint(QCPPainter& painter, const std::function<void()>& newPage, int pageCount, bool dry) const;

    const Report& m_report;
    QPageSize m_page;
};

} // namespace lundi
