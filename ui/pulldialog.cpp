#include "pulldialog.h"

#include "secretredaction.h"
#include "timeformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace lundi {

namespace {

constexpr qint64 NsPerMs = 1'000'000;
constexpr qint64 NsPerSecond = 1'000'000'000;

QDateTimeEdit* timeField(qint64 ns, QWidget* parent)
{
    auto* field = new QDateTimeEdit(parent);
    field->setTimeSpec(Qt::UTC);
    field->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    field->setDateTime(QDateTime::fromMSecsSinceEpoch(ns / NsPerMs, Qt::UTC));
    return field;
}

qint64 nsOf(const QDateTimeEdit* field)
{
    return field->dateTime().toMSecsSinceEpoch() * NsPerMs;
}

std::string text(const QLineEdit* field)
{
    return field->text().trimmed().toStdString();
}

} // namespace

PullDialog::PullDialog(Kind kind, const TimeRange& range, QWidget* parent)
    : QDialog(parent), m_kind(kind), m_url(new QLineEdit(this)), m_headerName(new QLineEdit(this)),
      m_headerValue(new QLineEdit(this)), m_caFile(new QLineEdit(this)),
      m_insecure(new QCheckBox(tr("Do not verify the server's certificate (insecure)"), this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    TimeRange window = range;
    if (window.isEmpty()) {
        const qint64 now = QDateTime::currentSecsSinceEpoch() * NsPerSecond;
        window = {now - 3600 * NsPerSecond, now};
    }
    m_start = timeField(window.startNs, this);
    m_end = timeField(window.endNs + NsPerMs - 1, this); // the end's last millisecond included

    setMinimumWidth(640);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Pull"));
    m_headerName->setPlaceholderText(tr("name, e.g. Authorization (optional)"));
    m_headerValue->setPlaceholderText(tr("its value, never written to the incident"));
    m_caFile->setPlaceholderText(tr("a PEM file of certificates to trust for HTTPS (optional)"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Server &URL:"), m_url);
    if (kind == Kind::Prometheus) {
        setWindowTitle(tr("Pull from Prometheus"));
        m_url->setPlaceholderText(tr("e.g. http://prometheus:9090 or http://mimir/prometheus"));
        m_query = new QLineEdit(this);
        m_query->setPlaceholderText(tr("e.g. rate(http_requests_total[5m])"));
        m_step = new QSpinBox(this);
        m_step->setRange(1, 7 * 24 * 3600);
        m_step->setSuffix(tr(" s"));
        form->addRow(tr("Prom&QL query:"), m_query);
        form->addRow(tr("&Start:"), m_start);
        form->addRow(tr("&End:"), m_end);
        form->addRow(tr("Ste&p:"), m_step);
        proposeStep();
        for (QDateTimeEdit* field : {m_start, m_end})
            connect(field, &QDateTimeEdit::dateTimeChanged, this, &PullDialog::proposeStep);
        connect(m_query, &QLineEdit::textChanged, this, &PullDialog::check);
        connect(m_step, &QSpinBox::valueChanged, this, &PullDialog::check);
    } else {
        setWindowTitle(tr("Pull traces"));
        m_url->setPlaceholderText(tr("e.g. http://jaeger-query:16686 or http://tempo:3200"));
        m_api = new QComboBox(this);
        m_api->addItem(tr("Jaeger (query API)"), QStringLiteral("jaeger"));
        m_api->addItem(tr("Jaeger API v3 (OTLP/JSON)"), QStringLiteral("jaeger-v3"));
        m_api->addItem(tr("Grafana Tempo"), QStringLiteral("tempo"));
        m_trace = new QLineEdit(this);
        m_trace->setPlaceholderText(tr("hexadecimal; leave empty to search"));
        m_service = new QLineEdit(this);
        m_operation = new QLineEdit(this);
        m_operation->setPlaceholderText(tr("any"));
        m_minDuration = new QLineEdit(this);
        m_minDuration->setPlaceholderText(tr("e.g. 500ms (optional)"));
        m_limit = new QSpinBox(this);
        m_limit->setRange(0, 100'000);
        m_limit->setSpecialValueText(tr("the API's default"));
        form->addRow(tr("&API:"), m_api);
        form->addRow(tr("&Trace id:"), m_trace);
        form->addRow(tr("or search the &service:"), m_service);
        form->addRow(tr("&Operation:"), m_operation);
        form->addRow(tr("&Start:"), m_start);
        form->addRow(tr("&End:"), m_end);
        form->addRow(tr("&Minimum duration:"), m_minDuration);
        form->addRow(tr("&Limit:"), m_limit);
        for (QLineEdit* field : {m_trace, m_service, m_minDuration})
            connect(field, &QLineEdit::textChanged, this, &PullDialog::check);
        for (QDateTimeEdit* field : {m_start, m_end})
            connect(field, &QDateTimeEdit::dateTimeChanged, this, &PullDialog::check);
    }
    auto* header = new QHBoxLayout;
    header->addWidget(m_headerName, 1);
    header->addWidget(m_headerValue, 1);
    auto* headerLabel = new QLabel(tr("&Header:"), this);
    headerLabel->setBuddy(m_headerName); // a row of a layout has none of its own
    form->addRow(headerLabel, header);
    form->addRow(tr("&CA file:"), m_caFile);
    form->addRow(QString(), m_insecure);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* field : {m_url, m_headerName, m_headerValue, m_caFile})
        connect(field, &QLineEdit::textChanged, this, &PullDialog::check);
    check();
}

QString PullDialog::problem() const
{
    const QString url = m_url->text().trimmed();
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
        return tr("Type the server's URL, starting with http:// or https://.");
    if (m_kind == Kind::Prometheus) {
        if (m_query->text().trimmed().isEmpty())
            return tr("Type the PromQL query.");
        if (nsOf(m_end) < nsOf(m_start))
            return tr("The end is before the start.");
    } else if (!m_trace->text().trimmed().isEmpty()) {
        if (!TracePull::isTraceId(text(m_trace)))
            return tr("A trace id is 1 to 32 hexadecimal digits.");
    } else {
        if (m_service->text().trimmed().isEmpty())
            return tr("Type a trace id, or the service whose traces to search.");
        if (nsOf(m_end) <= nsOf(m_start))
            return tr("The end must be after the start.");
        const QString minimum = m_minDuration->text().trimmed();
        if (!minimum.isEmpty() && TimeFormat::parseDuration(minimum).value_or(0) <= 0)
            return tr("The minimum duration is no duration: write it as 500ms or 2s.");
    }
    const QString headerName = m_headerName->text().trimmed();
    if (headerName.contains(QLatin1Char(':')))
        return tr("The header's name takes no colon: its value goes in the field beside it.");
    if (headerName.isEmpty() && !m_headerValue->text().isEmpty())
        return tr("Name the header the value is for.");
    if (!m_caFile->text().trimmed().isEmpty() && !QFileInfo(m_caFile->text().trimmed()).isFile())
        return tr("The CA file does not exist.");
    return {};
}

PullClient::Options PullDialog::clientOptions() const
{
    PullClient::Options options;
    if (!m_headerName->text().trimmed().isEmpty())
        options.headers.emplace_back(text(m_headerName), text(m_headerValue));
    options.caFile = text(m_caFile);
    options.verifyTls = !m_insecure->isChecked();
    return options;
}

PrometheusRangePull::Query PullDialog::prometheusQuery() const
{
    PrometheusRangePull::Query query;
    query.url = text(m_url);
    query.promql = text(m_query);
    query.startNs = nsOf(m_start);
    query.endNs = nsOf(m_end);
    query.stepNs = m_step->value() * NsPerSecond;
    return query;
}

TracePull::Request PullDialog::traceRequest() const
{
    TracePull::Request request;
    request.url = text(m_url);
    request.api = TracePull::apiNamed(m_api->currentData().toString()).value_or(TracePull::Api::Jaeger);
    request.traceId = text(m_trace);
    if (request.traceId.empty()) {
        TracePull::Search search;
        search.service = text(m_service);
        search.operation = text(m_operation);
        search.startNs = nsOf(m_start);
        search.endNs = nsOf(m_end);
        if (!m_minDuration->text().trimmed().isEmpty())
            search.minDurationNs = TimeFormat::parseDuration(m_minDuration->text().trimmed());
        if (m_limit->value() > 0)
            search.limit = m_limit->value();
        request.search = search;
    }
    return request;
}

QString PullDialog::label() const
{
    return m_kind == Kind::Prometheus ? PrometheusRangePull::origin(prometheusQuery())
                                      : TracePull::origin(traceRequest());
}

ImportQueue::Work PullDialog::work() const
{
    const PullClient::Options options = clientOptions();
    if (m_kind == Kind::Prometheus) {
        return [query = prometheusQuery(), options](Ingestor& ingestor, const ImporterRegistry&,
                                                    ImportControl& control) {
            return PrometheusRangePull::pull(query, options).importInto(ingestor, {}, control);
        };
    }
    return [request = traceRequest(), options](Ingestor& ingestor, const ImporterRegistry& registry,
                                               ImportControl& control) {
        return TracePull::pull(registry, request, options).importInto(ingestor, {}, control);
    };
}

void PullDialog::proposeStep()
{
    const qint64 seconds = std::max<qint64>(0, (nsOf(m_end) - nsOf(m_start)) / NsPerSecond);
    m_step->setValue(int(std::max<qint64>(1, (seconds + 998) / 999)));
    check();
}

void PullDialog::check()
{
    const QString sentence = problem();
    m_problem->setText(sentence);
    m_problem->setVisible(!sentence.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(sentence.isEmpty());
    m_headerValue->setEchoMode(SecretRedaction::isSecretHeader(text(m_headerName)) ? QLineEdit::Password
                                                                                   : QLineEdit::Normal);
    if (m_kind == Kind::Traces) {
        const bool search = m_trace->text().trimmed().isEmpty();
        for (QWidget* field :
             std::initializer_list<QWidget*>{m_service, m_operation, m_start, m_end, m_minDuration, m_limit})
            field->setEnabled(search);
    }
}

} // namespace lundi
