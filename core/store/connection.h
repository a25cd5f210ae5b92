#pragma once

#include <QString>

struct sqlite3;

namespace lundi {

// One open SQLite database; closes it when destroyed.
class Connection
{
  public:
    // ReadOnly never creates the file and refuses writes at the file level (the SQL console).
    enum class Access { ReadWrite, ReadOnly };

    explicit Connection(const QString& path, Access access = Access::ReadWrite);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return m_db; }
    const QString& path() const { return m_path; }

    void exec(const char* sql);
    // Throws a StoreError naming the file, what was being done and SQLite's own words.
    [[noreturn]] void fail(const QString& doing) const;

  private:
    sqlite3* m_db = nullptr;
    QString m_path;
};

} // namespace lundi
