#include "importoptionsdialog.h"

#include "timeformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace lundi {

ImportOptionsDialog::ImportOptionsDialog(const QStringList& formats, QWidget* parent)
    : QDialog(parent), m_format(new QComboBox(this)),
      m_force(new QCheckBox(tr("Import content the incident already has"), this)),
      m_offset(new QLineEdit(this)), m_at(new QLineEdit(this)), m_columns(new QLineEdit(this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Import options"));
    setMinimumWidth(600);
    m_format->addItem(tr("Detect from the content"));
    m_format->addItems(formats);
    m_offset->setPlaceholderText(tr("e.g. 1.5s, -200ms, 3h (default 0)"));
    m_at->setPlaceholderText(tr("e.g. 2026-11-24T10:00:00Z or Unix seconds (default: the file's time)"));
    m_columns->setPlaceholderText(tr("e.g. timestamp,index,utilization.gpu,memory.used"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(QString(), m_force);
    form->addRow(tr("Clock &offset:"), m_offset);
    form->addRow(tr("Undated samples &at:"), m_at);
    form->addRow(tr("&Columns of a CSV without header:"), m_columns);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* field : {m_offset, m_at, m_columns})
        connect(field, &QLineEdit::textChanged, this, &ImportOptionsDialog::check);
    check();
}

QString ImportOptionsDialog::problem() const
{
    if (!m_offset->text().trimmed().isEmpty() && !TimeFormat::parseDuration(m_offset->text().trimmed()))
        return tr("The clock offset is no duration: write it as 1.5s, -200ms or 3h.");
    if (!m_at->text().trimmed().isEmpty() && !TimeFormat::parseInstant(m_at->text().trimmed()))
        return tr(
            "The time of undated samples is no time: write it as 2026-11-24T10:00:00Z or Unix seconds.");
    if (!m_columns->text().trimmed().isEmpty() && !ImportOptions::columnList(m_columns->text()))
        return tr("The column list has an empty name: separate the names by single commas.");
    return {};
}

ImportOptions ImportOptionsDialog::options() const
{
    ImportOptions options;
    if (m_format->currentIndex() > 0)
        options.format = m_format->currentText();
    options.force = m_force->isChecked();
    options.clockOffsetNs = TimeFormat::parseDuration(m_offset->text().trimmed()).value_or(0);
    if (!m_at->text().trimmed().isEmpty())
        options.atNs = TimeFormat::parseInstant(m_at->text().trimmed());
    if (!m_columns->text().trimmed().isEmpty())
        options.columns = ImportOptions::columnList(m_columns->text()).value_or(QStringList());
    return options;
}

void ImportOptionsDialog::check()
{
    const QString sentence = problem();
    m_problem->setText(sentence);
    m_problem->setVisible(!sentence.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(sentence.isEmpty());
}

} // namespace lundi
