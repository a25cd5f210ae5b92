#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace lundi {

class Workbench;

// Edits the classification rules as JSON, checked as one types by the classifier's own parser
// (its sentence shown when they do not read). Apply saves them as the user's rules
// (Classifier::userRulesPath(), which later imports read too) and re-classifies the open
// incident off the GUI thread without a re-import; the views then reload.
class RulesDialog : public QDialog
{
    Q_OBJECT

  public:
    explicit RulesDialog(Workbench* workbench, QWidget* parent = nullptr);

    QPlainTextEdit* editor() const { return m_editor; }
    QLabel* message() const { return m_message; }
    QPushButton* applyButton() const { return m_apply; }
    // Re-classifying is under way.
    bool busy() const { return m_busy; }

    // Checks the editor's rules; the sentence saying what is wrong, or empty when they read.
    QString check();
    void apply();

  Q_SIGNALS:
    // Applying finished: the incident was re-classified (or there was none), or it failed.
    void applied(bool ok);

  private:
    void showMessage(const QString& text, bool error);
    void setBusy(bool busy);

    Workbench* m_workbench;
    QPlainTextEdit* m_editor;
    QLabel* m_message;
    QPushButton* m_apply;
    QPushButton* m_builtIn;
    bool m_busy = false;
};

} // namespace lundi
