#pragma once

#include "probedefinition.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;
class QTableWidget;

namespace lundi {

// Adds or edits a probe: HTTP (method, URL, headers, body, expected status codes, timeout,
// redirects, HTTP/1.1 or 2, a CA file, and the explicit insecure switch), TCP (host:port), GPU
// (nvidia-smi's fields) or a Prometheus scrape (the HTTP page less what a GET of /metrics does not
// take: method, body, expected status, redirects, version), and the interval. Secrets stay
// masked: a secret header's value and a URL holding a password or a token are shown as dots until
// edited.
class ProbeDialog : public QDialog
{
    Q_OBJECT

  public:
    explicit ProbeDialog(const ProbeDefinition& probe, QWidget* parent = nullptr);

    // What the fields say; valid once accepted.
    const ProbeDefinition& probe() const { return m_probe; }
    // Reads the fields into probe(); the sentence that says what is wrong, or empty.
    QString read();

    QComboBox* kind() const { return m_kind; }
    QLineEdit* url() const { return m_url; }
    QTableWidget* headers() const { return m_headers; }
    QCheckBox* insecure() const { return m_insecure; }
    QLineEdit* hostPort() const { return m_hostPort; }
    QLineEdit* interval() const { return m_interval; }

  public Q_SLOTS:
    void accept() override;

  private:
    QWidget* httpPage();
    QWidget* tcpPage();
    QWidget* gpuPage();
    void showKind(int kind);
    void addHeader(const QString& name, const QString& value);
    void updateUrlMasking();

    ProbeDefinition m_probe;
    QComboBox* m_kind = nullptr;
    int m_shownKind = 0;
    QStackedWidget* m_pages = nullptr;
    QLineEdit* m_interval = nullptr;
    QComboBox* m_method = nullptr;
    QFormLayout* m_httpForm = nullptr;
    QHBoxLayout* m_httpOptions = nullptr;
    QLineEdit* m_url = nullptr;
    QLabel* m_urlShown = nullptr;
    QTableWidget* m_headers = nullptr;
    QPlainTextEdit* m_body = nullptr;
    QLineEdit* m_expected = nullptr;
    QLineEdit* m_httpTimeout = nullptr;
    QCheckBox* m_followRedirects = nullptr;
    QComboBox* m_version = nullptr;
    QLineEdit* m_caFile = nullptr;
    QCheckBox* m_insecure = nullptr;
    QLineEdit* m_hostPort = nullptr;
    QLineEdit* m_tcpTimeout = nullptr;
    QLineEdit* m_program = nullptr;
    QLineEdit* m_fields = nullptr;
    QLabel* m_problem = nullptr;
};

} // namespace lundi
