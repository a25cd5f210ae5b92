#pragma once

#include "model.h"

#include <QTreeWidget>

#include <optional>

namespace lundi {

// The selected span: its timing, track, trace id and attributes, as plain text.
class DetailsPanel : public QTreeWidget
{
    Q_OBJECT

  public:
    explicit DetailsPanel(QWidget* parent = nullptr);

    // trackName: the span's track as the sources panel names it.
    void showSpan(const std::optional<Span>& span, const QString& trackName);
};

} // namespace lundi
