#include "rulesdialog.h"
#include "classifier.h"
#include "ingest/reclassify.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "workbench.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

// The rules as the user has them: their file where there is one, else the built-in rules.
QByteArray currentRules()
{
    QFile file(Classifier::userRulesPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : Classifier::builtInJson();
}

QString origin()
{
    return QFileInfo(Classifier::userRulesPath()).fileName();
}

} // namespace

RulesDialog::RulesDialog(Workbench* workbench, QWidget* parent)
    : QDialog(parent), m_workbench(workbench), m_editor(new QPlainTextEdit(this)),
      m_message(new QLabel(this)), m_apply(new QPushButton(tr("Apply"), this)),
      m_builtIn(new QPushButton(tr("Built-in rules"), this))
{
    setWindowTitle(tr("Classification rules"));
    auto* about =
        new QLabel(tr("Each span gets the category of the first rule whose every condition matches "
                      "(case-insensitive regular expressions on the name, the cat and attributes); "
                      "no match is \"other\". Apply saves the rules to %1, where later imports read "
                      "them too, and re-classifies the open incident without a re-import.")
                       .arg(QDir::toNativeSeparators(Classifier::userRulesPath())),
                   this);
    about->setTextFormat(Qt::PlainText);
    about->setWordWrap(true);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setPlainText(QString::fromUtf8(currentRules()));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apply->setDefault(true);
    m_builtIn->setToolTip(tr("Put Lundi's own rules in the editor (nothing changes until Apply)"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_apply, QDialogButtonBox::ApplyRole);
    buttons->addButton(m_builtIn, QDialogButtonBox::ResetRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(900, 640);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_apply, &QPushButton::clicked, this, &RulesDialog::apply);
    connect(m_builtIn, &QPushButton::clicked, this,
            [this] { m_editor->setPlainText(QString::fromUtf8(Classifier::builtInJson())); });
    connect(m_editor, &QPlainTextEdit::textChanged, this, &RulesDialog::check);
    check();
}

QString RulesDialog::check()
{
    QString sentence;
    try {
        Classifier::fromJson(m_editor->toPlainText().toUtf8(), origin());
    } catch (const RulesError& error) {
        sentence = QString::fromUtf8(error.what());
    }
    m_apply->setEnabled(sentence.isEmpty() && !m_busy);
    showMessage(sentence.isEmpty() ? tr("The rules read.") : sentence, !sentence.isEmpty());
    return sentence;
}

void RulesDialog::apply()
{
    if (m_busy || !check().isEmpty())
        return;
    const QByteArray json = m_editor->toPlainText().toUtf8();
    const QString path = Classifier::userRulesPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        showMessage(tr("%1: %2.").arg(path, file.errorString()), true);
        Q_EMIT applied(false);
        return;
    }
    const QString incident = m_workbench->path();
    if (incident.isEmpty()) {
        showMessage(tr("Saved; later imports use these rules."), false);
        Q_EMIT applied(true);
        return;
    }
    setBusy(true);
    showMessage(tr("Re-classifying…"), false);
    QtConcurrent::run([incident, json]() -> std::pair<ReclassifySummary, QString> {
        try {
            Store store(incident);
            return {reclassify(store, Classifier::fromJson(json, origin())), {}};
        } catch (const StoreError& error) {
            return {{}, error.sentence()};
        }
    }).then(this, [this](const std::pair<ReclassifySummary, QString>& outcome) {
        setBusy(false);
        const auto& [summary, error] = outcome;
        if (!error.isEmpty()) {
            showMessage(error, true);
            Q_EMIT applied(false);
            return;
        }
        showMessage(tr("Saved; %1 spans classified, %2 changed category.")
                        .arg(QLocale().toString(summary.spans), QLocale().toString(summary.changed)),
                    false);
        m_workbench->reload();
        Q_EMIT applied(true);
    });
}

void RulesDialog::showMessage(const QString& text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_message->setText(text);
}

void RulesDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_apply->setEnabled(!busy);
    m_builtIn->setEnabled(!busy);
    m_editor->setReadOnly(busy);
}

} // namespace lundi
