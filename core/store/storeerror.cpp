#include "storeerror.h"

namespace lundi {

StoreError::StoreError(const QString& sentence, bool busy)
    : std::runtime_error(sentence.toStdString()), m_sentence(sentence), m_busy(busy)
{
}

StoreError::~StoreError() = default;

} // namespace lundi
