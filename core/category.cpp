#include "category.h"

namespace lundi {

QString categoryName(Category category)
{
    switch (category) {
    case Category::Api:
        return QStringLiteral("api");
    case Category::Network:
        return QStringLiteral("network");
    case Category::Gpu:
        return QStringLiteral("gpu");
    case Category::Compliance:
        return QStringLiteral("compliance");
    case Category::Storage:
        return QStringLiteral("storage");
    case Category::Compute:
        return QStringLiteral("compute");
    case Category::Queue:
        return QStringLiteral("queue");
    case Category::Other:
        break;
    }
    return QStringLiteral("other");
}

std::optional<Category> categoryFromName(QStringView name)
{
    for (Category category : AllCategories) {
        if (name.compare(categoryName(category), Qt::CaseInsensitive) == 0)
            return category;
    }
    return std::nullopt;
}

} // namespace lundi
