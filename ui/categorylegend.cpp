#include "categorylegend.h"

#include "categorypalette.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QPainter>
#include <QToolButton>

namespace lundi {

namespace {

QIcon swatch(Category category)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setPen(QColor(0, 0, 0, 90));
    painter.setBrush(CategoryPalette::fill(category));
    painter.drawRect(QRectF(0.5, 0.5, 13, 13));
    return QIcon(pixmap);
}

} // namespace

CategoryLegend::CategoryLegend(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (Category category : AllCategories) {
        auto* button = new QToolButton(this);
        button->setText(categoryName(category));
        button->setIcon(swatch(category));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setCheckable(true);
        button->setChecked(true);
        button->setAutoRaise(true);
        button->setToolTip(
            tr("Show or dim %1 time; double-click to show only it").arg(categoryName(category)));
        button->installEventFilter(this);
        connect(button, &QToolButton::toggled, this, [this] { Q_EMIT categoriesChanged(categories()); });
        layout->addWidget(button);
        m_buttons[size_t(category)] = button;
    }
}

void CategoryLegend::setCategories(CategorySet categories)
{
    for (Category category : AllCategories) {
        const QSignalBlocker blocker(m_buttons[size_t(category)]);
        m_buttons[size_t(category)]->setChecked(categories.contains(category));
    }
}

CategorySet CategoryLegend::categories() const
{
    CategorySet categories = CategorySet::all();
    for (Category category : AllCategories)
        categories.set(category, m_buttons[size_t(category)]->isChecked());
    return categories;
}

bool CategoryLegend::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::MouseButtonDblClick)
        return QWidget::eventFilter(watched, event);
    for (Category category : AllCategories) {
        if (m_buttons[size_t(category)] != watched)
            continue;
        const CategorySet only = CategorySet::only(category);
        const CategorySet next = categories() == only ? CategorySet::all() : only;
        setCategories(next);
        Q_EMIT categoriesChanged(next);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace lundi
