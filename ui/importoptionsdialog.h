#pragma once

#include "ingest/ingestor.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace lundi {

// What `lundi-cli import` takes as options, for files imported from the window: the format
// (instead of detecting it), importing known content again, a clock offset, the time of undated
// samples and the column names of a headerless CSV. OK stays disabled while a field does not
// parse, and the line under the fields says which and why.
class ImportOptionsDialog : public QDialog
{
    Q_OBJECT

  public:
    // formats: the importers' names, as `lundi-cli formats` lists them.
    explicit ImportOptionsDialog(const QStringList& formats, QWidget* parent = nullptr);

    // The options as typed; only meaningful while OK is enabled.
    ImportOptions options() const;

    QComboBox* formatField() const { return m_format; }
    QLineEdit* offsetField() const { return m_offset; }
    QLineEdit* atField() const { return m_at; }
    QLineEdit* columnsField() const { return m_columns; }
    QCheckBox* forceField() const { return m_force; }
    // The sentence saying what does not parse; empty when everything does.
    QString problem() const;

  private:
    void check();

    QComboBox* m_format;
    QCheckBox* m_force;
    QLineEdit* m_offset;
    QLineEdit* m_at;
    QLineEdit* m_columns;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace lundi
