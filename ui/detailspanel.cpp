#include "detailspanel.h"

#include "categorypalette.h"
#include "plaintooltip.h"
#include "timeformat.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lundi {

namespace {

QString statusName(SpanStatus status)
{
    switch (status) {
    case SpanStatus::Ok:
        return QStringLiteral("ok");
    case SpanStatus::Error:
        return QStringLiteral("error");
    case SpanStatus::Unset:
        break;
    }
    return QStringLiteral("unset");
}

QString valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

// Nested objects become dotted keys ("http.request.method"), as OpenTelemetry names them.
void addAttributes(QTreeWidgetItem* parent, const QJsonObject& object, const QString& prefix)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject()) {
            addAttributes(parent, it.value().toObject(), key);
            continue;
        }
        auto* item = new QTreeWidgetItem(parent, {key, valueText(it.value())});
        item->setToolTip(1, plainToolTip(item->text(1)));
    }
}

} // namespace

DetailsPanel::DetailsPanel(QWidget* parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Field"), tr("Value")});
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setTextElideMode(Qt::ElideMiddle);
    showSpan(std::nullopt, {});
}

void DetailsPanel::showSpan(const std::optional<Span>& span, const QString& trackName)
{
    clear();
    if (!span) {
        auto* hint = new QTreeWidgetItem(this, {tr("Click a span in the flame chart")});
        hint->setFirstColumnSpanned(true);
        hint->setForeground(0, palette().placeholderText());
        return;
    }
    const auto add = [this](const QString& field, const QString& value) {
        auto* item = new QTreeWidgetItem(this, {field, value});
        item->setToolTip(1, plainToolTip(value));
        return item;
    };
    add(tr("Name"), span->name);
    QTreeWidgetItem* category = add(tr("Category"), categoryName(span->category));
    category->setIcon(1, [&] {
        QPixmap swatch(12, 12);
        swatch.fill(CategoryPalette::fill(span->category));
        return QIcon(swatch);
    }());
    if (!span->cat.isEmpty())
        add(tr("Producer category"), span->cat);
    add(tr("Track"), trackName);
    add(tr("Start"), TimeFormat::utc(span->startNs));
    add(tr("End"), TimeFormat::utc(span->startNs + span->durNs));
    add(tr("Duration"), TimeFormat::duration(span->durNs));
    add(tr("Status"), statusName(span->status));
    if (!span->traceId.isEmpty())
        add(tr("Trace id"), span->traceId);
    add(tr("Span id"), QString::number(span->id));
    if (span->parent)
        add(tr("Parent span id"), QString::number(span->parent));
    const QJsonObject attributes = QJsonDocument::fromJson(span->attributesJson).object();
    if (!attributes.isEmpty()) {
        auto* group = new QTreeWidgetItem(this, {tr("Attributes"), QString::number(attributes.size())});
        addAttributes(group, attributes, {});
        group->setExpanded(true);
    }
}

} // namespace lundi
