#include "probedialog.h"

#include "secretredaction.h"
#include "timeformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lundi {

namespace {

// As users type durations: "1s", "250ms".
QString durationText(std::chrono::milliseconds duration)
{
    const qint64 ms = duration.count();
    return ms % 1000 == 0 ? QStringLiteral("%1s").arg(ms / 1000) : QStringLiteral("%1ms").arg(ms);
}

std::optional<std::chrono::milliseconds> parseMilliseconds(const QString& text)
{
    const std::optional<qint64> ns = TimeFormat::parseDuration(text.trimmed());
    if (!ns || *ns < 1'000'000)
        return std::nullopt;
    return std::chrono::milliseconds(*ns / 1'000'000);
}

// The label of a row that holds a layout: its shortcut goes to the field.
QLabel* buddyLabel(const QString& text, QWidget* field)
{
    auto* label = new QLabel(text, field->parentWidget());
    label->setBuddy(field);
    return label;
}

// The labels of all the forms as wide as the widest, so that their fields line up.
void alignLabels(const QList<QFormLayout*>& forms)
{
    QList<QWidget*> labels;
    int width = 0;
    for (const QFormLayout* form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (const QLayoutItem* item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget()) {
                labels.append(item->widget());
                width = std::max(width, item->widget()->sizeHint().width());
            }
        }
    }
    for (QWidget* label : labels)
        label->setMinimumWidth(width);
}

bool isSecretHeader(const QString& name)
{
    return SecretRedaction::isSecretHeader(name.trimmed().toStdString());
}

// The value of a secret header (the name in the same row says which) is drawn as dots and
// edited in a password field.
class HeaderValueDelegate : public QStyledItemDelegate
{
  public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override
    {
        QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto* line = qobject_cast<QLineEdit*>(editor); line && secret(index))
            line->setEchoMode(QLineEdit::Password);
        return editor;
    }

  protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (secret(index))
            option->text = QString(option->text.size(), QChar(0x2022));
    }

  private:
    static bool secret(const QModelIndex& index)
    {
        return isSecretHeader(index.siblingAtColumn(0).data().toString());
    }
};

} // namespace

ProbeDialog::ProbeDialog(const ProbeDefinition& probe, QWidget* parent) : QDialog(parent), m_probe(probe)
{
    setWindowTitle(tr("Probe"));
    auto* layout = new QVBoxLayout(this);
    auto* common = new QFormLayout;
    m_kind = new QComboBox(this);
    m_kind->addItems({tr("HTTP request"), tr("TCP connect"), tr("GPU sampling (nvidia-smi)"),
                      tr("Prometheus scrape (/metrics)")});
    common->addRow(tr("&Kind"), m_kind);
    m_interval = new QLineEdit(durationText(probe.interval), this);
    m_interval->setToolTip(tr("How often: 1s, 500ms, 1min"));
    common->addRow(tr("&Every"), m_interval);
    layout->addLayout(common);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(httpPage());
    m_pages->addWidget(tcpPage());
    m_pages->addWidget(gpuPage());
    layout->addWidget(m_pages, 1);
    QList<QFormLayout*> forms{common};
    for (int page = 0; page < m_pages->count(); ++page)
        forms.append(static_cast<QFormLayout*>(m_pages->widget(page)->layout()));
    alignLabels(forms);
    m_shownKind = int(probe.kind);
    showKind(int(probe.kind));
    m_kind->setCurrentIndex(int(probe.kind));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ProbeDialog::showKind);

    m_problem = new QLabel(this);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    if (probe.secretsMissing)
        m_problem->setText(tr("The saved probe kept no secrets: type the secret header values and the URL's "
                              "token or password again."));
    layout->addWidget(m_problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProbeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProbeDialog::reject);
    layout->addWidget(buttons);
}

QWidget* ProbeDialog::httpPage()
{
    const HttpRequest& http = m_probe.http;
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_httpForm = form;
    form->setContentsMargins(0, 0, 0, 0);
    m_method = new QComboBox(page);
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("POST"),
                        QStringLiteral("PUT"), QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                        QStringLiteral("OPTIONS")});
    m_method->setCurrentText(QString::fromStdString(http.method));
    form->addRow(tr("&Method"), m_method);
    m_url = new QLineEdit(QString::fromStdString(http.url), page);
    m_urlShown = new QLabel(page);
    m_urlShown->setTextFormat(Qt::PlainText);
    m_urlShown->setWordWrap(true);
    auto* url = new QVBoxLayout;
    url->addWidget(m_url);
    url->addWidget(m_urlShown);
    form->addRow(buddyLabel(tr("&URL"), m_url), url);
    connect(m_url, &QLineEdit::textChanged, this, &ProbeDialog::updateUrlMasking);
    updateUrlMasking();

    m_headers = new QTableWidget(0, 2, page);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setItemDelegateForColumn(1, new HeaderValueDelegate(m_headers));
    m_headers->setMinimumHeight(90);
    for (const auto& [name, value] : http.headers)
        addHeader(QString::fromStdString(name), QString::fromStdString(value));
    auto* headerButtons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add header"), page);
    auto* remove = new QPushButton(tr("Remove header"), page);
    connect(add, &QPushButton::clicked, this, [this] {
        addHeader({}, {});
        m_headers->editItem(m_headers->item(m_headers->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] { m_headers->removeRow(m_headers->currentRow()); });
    headerButtons->addWidget(add);
    headerButtons->addWidget(remove);
    headerButtons->addStretch();
    auto* headers = new QVBoxLayout;
    headers->addWidget(m_headers);
    headers->addLayout(headerButtons);
    form->addRow(buddyLabel(tr("&Headers"), m_headers), headers);

    m_body = new QPlainTextEdit(QString::fromStdString(http.body), page);
    m_body->setMaximumHeight(70);
    form->addRow(tr("&Body"), m_body);
    QStringList expected;
    for (const int status : http.expectedStatus)
        expected.append(QString::number(status));
    m_expected = new QLineEdit(expected.join(QStringLiteral(", ")), page);
    m_expected->setPlaceholderText(tr("any 2xx"));
    form->addRow(tr("E&xpected status"), m_expected);
    m_httpTimeout = new QLineEdit(durationText(http.timeout), page);
    form->addRow(tr("&Timeout"), m_httpTimeout);
    m_followRedirects = new QCheckBox(tr("Follow redirects"), page);
    m_followRedirects->setChecked(http.followRedirects);
    m_version = new QComboBox(page);
    m_version->addItems({QStringLiteral("HTTP/1.1"), QStringLiteral("HTTP/2")});
    m_version->setCurrentIndex(http.version == HttpRequest::Version::Http2 ? 1 : 0);
    m_httpOptions = new QHBoxLayout;
    m_httpOptions->addWidget(m_followRedirects);
    m_httpOptions->addWidget(m_version);
    m_httpOptions->addStretch();
    form->addRow(QString(), m_httpOptions);

    m_caFile = new QLineEdit(QString::fromStdString(http.caFile), page);
    m_caFile->setPlaceholderText(tr("the system's certificate authorities"));
    auto* browse = new QPushButton(tr("Choose…"), page);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("CA certificates"), QString(), tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    auto* ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    form->addRow(buddyLabel(tr("&CA file"), m_caFile), ca);
    m_insecure = new QCheckBox(tr("Insecure: do not verify the server's certificate"), page);
    m_insecure->setChecked(!http.verifyTls);
    m_insecure->setStyleSheet(QStringLiteral("QCheckBox { color: #b00020; font-weight: bold; }"));
    m_insecure->setToolTip(tr("Anyone between Lundi and the server could answer in its place. The probe is "
                              "marked insecure in the panel."));
    form->addRow(QString(), m_insecure);
    return page;
}

QWidget* ProbeDialog::tcpPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    const bool any = !m_probe.tcp.host.empty();
    ProbeDefinition tcp;
    tcp.kind = ProbeDefinition::Kind::Tcp;
    tcp.tcp = m_probe.tcp;
    m_hostPort = new QLineEdit(any ? tcp.target() : QString(), page);
    m_hostPort->setPlaceholderText(QStringLiteral("127.0.0.1:5432"));
    form->addRow(tr("&Host:port"), m_hostPort);
    m_tcpTimeout = new QLineEdit(durationText(m_probe.tcp.timeout), page);
    form->addRow(tr("&Timeout"), m_tcpTimeout);
    return page;
}

QWidget* ProbeDialog::gpuPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_program = new QLineEdit(m_probe.gpu.program, page);
    form->addRow(tr("&Program"), m_program);
    m_fields = new QLineEdit(m_probe.gpu.fields.join(QLatin1Char(',')), page);
    m_fields->setToolTip(tr("nvidia-smi --query-gpu fields; timestamp and index are always asked"));
    form->addRow(tr("&Fields"), m_fields);
    return page;
}

void ProbeDialog::showKind(int kind)
{
    const bool scrape = ProbeDefinition::Kind(kind) == ProbeDefinition::Kind::Scrape;
    m_pages->setCurrentIndex(scrape ? int(ProbeDefinition::Kind::Http) : kind);
    for (QWidget* field : std::initializer_list<QWidget*>{m_method, m_body, m_expected})
        m_httpForm->setRowVisible(field, !scrape);
    m_httpForm->setRowVisible(m_httpOptions, !scrape);
    m_url->setPlaceholderText(scrape ? QStringLiteral("http://127.0.0.1:9100/metrics")
                                     : QStringLiteral("https://service.example/health"));
    // An interval left at the kind's default follows the new kind's (15 s for a scrape).
    if (parseMilliseconds(m_interval->text()) ==
        ProbeDefinition::defaultInterval(ProbeDefinition::Kind(m_shownKind)))
        m_interval->setText(durationText(ProbeDefinition::defaultInterval(ProbeDefinition::Kind(kind))));
    m_shownKind = kind;
}

void ProbeDialog::addHeader(const QString& name, const QString& value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
}

void ProbeDialog::updateUrlMasking()
{
    const QString url = m_url->text();
    const QString shown = SecretRedaction::url(url);
    const bool secret = shown != url;
    // Dots until edited: the URL holds a password or a token.
    m_url->setEchoMode(secret ? QLineEdit::PasswordEchoOnEdit : QLineEdit::Normal);
    m_urlShown->setText(secret ? tr("Shown as %1").arg(shown) : QString());
    m_urlShown->setVisible(secret);
}

QString ProbeDialog::read()
{
    ProbeDefinition probe;
    probe.kind = ProbeDefinition::Kind(m_kind->currentIndex());
    const auto interval = parseMilliseconds(m_interval->text());
    if (!interval)
        return tr("The interval \"%1\" is no duration of a millisecond or more (1s, 500ms).")
            .arg(m_interval->text());
    probe.interval = *interval;
    switch (probe.kind) {
    case ProbeDefinition::Kind::Http:
    case ProbeDefinition::Kind::Scrape: {
        // A scrape is a GET with the defaults for what its page hides.
        const bool scrape = probe.kind == ProbeDefinition::Kind::Scrape;
        HttpRequest& http = probe.http;
        if (!scrape)
            http.method = m_method->currentText().trimmed().toUpper().toStdString();
        const QString url = m_url->text().trimmed();
        if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
            return tr("The URL must start with http:// or https://.");
        http.url = url.toStdString();
        for (int row = 0; row < m_headers->rowCount(); ++row) {
            const QString name =
                m_headers->item(row, 0) ? m_headers->item(row, 0)->text().trimmed() : QString();
            const QString value = m_headers->item(row, 1) ? m_headers->item(row, 1)->text() : QString();
            if (name.isEmpty() && value.isEmpty())
                continue;
            if (name.isEmpty() || name.contains(QLatin1Char(':')) || name.contains(QLatin1Char(' ')))
                return tr("Header %1 needs a name without spaces or colons.").arg(row + 1);
            http.headers.emplace_back(name.toStdString(), value.toStdString());
        }
        if (!scrape)
            http.body = m_body->toPlainText().toStdString();
        for (const QString& text :
             scrape ? QStringList() : m_expected->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int status = text.trimmed().toInt(&ok);
            if (!ok || status < 100 || status > 599)
                return tr("The expected status \"%1\" is no HTTP status code (100 to 599).")
                    .arg(text.trimmed());
            http.expectedStatus.push_back(status);
        }
        const auto timeout = parseMilliseconds(m_httpTimeout->text());
        if (!timeout)
            return tr("The timeout \"%1\" is no duration of a millisecond or more.")
                .arg(m_httpTimeout->text());
        http.timeout = *timeout;
        if (!scrape) {
            http.followRedirects = m_followRedirects->isChecked();
            http.version =
                m_version->currentIndex() == 1 ? HttpRequest::Version::Http2 : HttpRequest::Version::Http1_1;
        }
        http.caFile = m_caFile->text().trimmed().toStdString();
        http.verifyTls = !m_insecure->isChecked();
        break;
    }
    case ProbeDefinition::Kind::Tcp: {
        const std::optional<TcpRequest> request = ProbeDefinition::parseHostPort(m_hostPort->text());
        if (!request)
            return tr("\"%1\" is no host:port (127.0.0.1:5432, [::1]:443).").arg(m_hostPort->text());
        probe.tcp = *request;
        const auto timeout = parseMilliseconds(m_tcpTimeout->text());
        if (!timeout)
            return tr("The timeout \"%1\" is no duration of a millisecond or more.")
                .arg(m_tcpTimeout->text());
        probe.tcp.timeout = *timeout;
        break;
    }
    case ProbeDefinition::Kind::Gpu:
        probe.gpu.program = m_program->text().trimmed();
        if (probe.gpu.program.isEmpty())
            return tr("Name the program to run: nvidia-smi, or its path.");
        probe.gpu.fields = m_fields->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& field : probe.gpu.fields)
            field = field.trimmed();
        if (probe.gpu.fields.isEmpty())
            probe.gpu.fields = GpuProbe::defaultFields();
        break;
    }
    m_probe = probe;
    return {};
}

void ProbeDialog::accept()
{
    const QString problem = read();
    m_problem->setText(problem);
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace lundi
