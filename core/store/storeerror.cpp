#include "storeerror.h"

namespace lundi {

StoreError::StoreError(const QString& sentence)
    : std::runtime_error(sentence.toStdString()), m_sentence(sentence)
{
}

StoreError::~StoreError() = default;

} // namespace lundi
