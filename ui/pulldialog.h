#pragma once

#include "importqueue.h"
#include "model.h"
#include "prometheusrangepull.h"
#include "tracepull.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lundi {

// What `lundi-cli pull-prometheus` and `pull-traces` take, for a pull from the window into the
// open incident: the server, the PromQL query and its window and step, or a trace id or a trace
// search, a header (its value hidden when it is a secret), and how to trust HTTPS. OK stays
// disabled while a field does not make sense, and the line under the fields says which and why.
class PullDialog : public QDialog
{
    Q_OBJECT

  public:
    enum class Kind { Prometheus, Traces };

    // range: the incident's time range, the window proposed; when empty, the last hour is.
    PullDialog(Kind kind, const TimeRange& range, QWidget* parent = nullptr);

    // The pull as typed, run by ImportQueue off the GUI thread; only meaningful while OK is
    // enabled. The label names it by its URL, secrets replaced.
    ImportQueue::Work work() const;
    QString label() const;
    // The sentence saying what does not make sense; empty when everything does.
    QString problem() const;

    QLineEdit* urlField() const { return m_url; }
    QLineEdit* queryField() const { return m_query; }
    QSpinBox* stepField() const { return m_step; }
    QComboBox* apiField() const { return m_api; }
    QLineEdit* traceField() const { return m_trace; }
    QLineEdit* serviceField() const { return m_service; }
    QLineEdit* operationField() const { return m_operation; }
    QLineEdit* minDurationField() const { return m_minDuration; }
    QSpinBox* limitField() const { return m_limit; }
    QDateTimeEdit* startField() const { return m_start; }
    QDateTimeEdit* endField() const { return m_end; }
    QLineEdit* headerNameField() const { return m_headerName; }
    QLineEdit* headerValueField() const { return m_headerValue; }
    QLineEdit* caFileField() const { return m_caFile; }
    QCheckBox* insecureField() const { return m_insecure; }

  private:
    PullClient::Options clientOptions() const;
    PrometheusRangePull::Query prometheusQuery() const;
    TracePull::Request traceRequest() const;
    // The step that keeps the window within 1,000 points a series.
    void proposeStep();
    void check();

    Kind m_kind;
    QLineEdit* m_url;
    QLineEdit* m_query = nullptr;
    QSpinBox* m_step = nullptr;
    QComboBox* m_api = nullptr;
    QLineEdit* m_trace = nullptr;
    QLineEdit* m_service = nullptr;
    QLineEdit* m_operation = nullptr;
    QLineEdit* m_minDuration = nullptr;
    QSpinBox* m_limit = nullptr;
    QDateTimeEdit* m_start;
    QDateTimeEdit* m_end;
    QLineEdit* m_headerName;
    QLineEdit* m_headerValue;
    QLineEdit* m_caFile;
    QCheckBox* m_insecure;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace lundi
