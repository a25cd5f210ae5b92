#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace lundi {

// Where a span's time goes, as the triage views and the report speak of it.
enum class Category : quint8 { Api, Network, Gpu, Compliance, Storage, Compute, Queue, Other };

inline constexpr std::array AllCategories{Category::Api,        Category::Network, Category::Gpu,
                                          Category::Compliance, Category::Storage, Category::Compute,
                                          Category::Queue,      Category::Other};

QString categoryName(Category category);
std::optional<Category> categoryFromName(QStringView name);

} // namespace lundi
