#pragma once

#include <QString>

#include <stdexcept>

namespace lundi {

// A failure to read or write an incident file; sentence() is what the user sees.
class StoreError : public std::runtime_error
{
  public:
    // busy: another connection held the incident's write lock past the busy timeout; trying
    // again later can succeed.
    explicit StoreError(const QString& sentence, bool busy = false);
    ~StoreError() override;
    QString sentence() const { return m_sentence; }
    bool isBusy() const { return m_busy; }

  private:
    QString m_sentence;
    bool m_busy = false;
};

} // namespace lundi
