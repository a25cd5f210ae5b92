#pragma once

#include "report.h"

#include <QDialog>
#include <QPageSize>

#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace lundi {

class Workbench;

// File > Export report: the options of lundi-cli report (title, baseline, SLO, paper) and a
// preview of the pages as they will print, made again when an option changes; Save writes the
// PDF. The baseline choices are those of the Suspects dock: none, the activity before the
// incident's latest stretch (the default when there is one), or a source.
class ReportDialog : public QDialog
{
    Q_OBJECT

  public:
    explicit ReportDialog(Workbench* workbench, QWidget* parent = nullptr);
    ~ReportDialog() override;

    // The report shown, once computed.
    const Report* report() const { return m_report.get(); }
    int previewPages() const { return m_pageCount; }
    bool busy() const { return m_busy; }
    QComboBox* baselineChoice() const { return m_baseline; }
    QLineEdit* titleEdit() const { return m_title; }
    QLineEdit* sloEdit() const { return m_slo; }
    QComboBox* pageChoice() const { return m_page; }

    // Writes the PDF of the report shown; false with the reason in the dialog.
    bool save(const QString& path);

  Q_SIGNALS:
    void previewed();

  private:
    struct Comparison
    {
        QString label;
        std::optional<SpanSelection> baseline;
        std::optional<SpanSelection> incident;
    };

    void fillComparisons();
    void build();
    void showPreview();
    void chooseFile();
    QPageSize::PageSizeId pageSize() const;

    Workbench* m_workbench;
    std::vector<Comparison> m_comparisons;
    QLineEdit* m_title;
    QComboBox* m_baseline;
    QLineEdit* m_slo;
    QComboBox* m_page;
    QLabel* m_status;
    QVBoxLayout* m_pages;
    QDialogButtonBox* m_buttons;
    std::shared_ptr<const Report> m_report;
    int m_pageCount = 0;
    quint64 m_request = 0;
    bool m_busy = false;
};

} // namespace lundi
