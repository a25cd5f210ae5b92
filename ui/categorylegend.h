#pragma once

#include "categoryset.h"

#include <QWidget>

#include <array>

class QToolButton;

namespace lundi {

// The category colours, one toggle each: unticked categories are dimmed in every view.
// Double-clicking a category shows only that one; double-clicking it again shows all.
class CategoryLegend : public QWidget
{
    Q_OBJECT

  public:
    explicit CategoryLegend(QWidget* parent = nullptr);

    void setCategories(CategorySet categories);
    CategorySet categories() const;
    QToolButton* button(Category category) const { return m_buttons[size_t(category)]; }

  Q_SIGNALS:
    void categoriesChanged(lundi::CategorySet categories);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    std::array<QToolButton*, 8> m_buttons{};
};

} // namespace lundi
