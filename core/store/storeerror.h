#pragma once

#include <QString>

#include <stdexcept>

namespace lundi {

// A failure to read or write an incident file; sentence() is what the user sees.
class StoreError : public std::runtime_error
{
  public:
    explicit StoreError(const QString& sentence);
    ~StoreError() override;
    QString sentence() const { return m_sentence; }

  private:
    QString m_sentence;
};

} // namespace lundi
