#pragma once

#include <QString>

#include <string_view>

struct sqlite3_stmt;

namespace lundi {

class Connection;

// A prepared statement. Bind indexes start at 1, column indexes at 0, as in SQLite.
class Statement
{
  public:
    Statement(Connection& connection, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const QString& text);
    Statement& bindNull(int index);
    // Bytes kept alive by the caller until the statement has run, as for text.
    Statement& bindBlob(int index, std::string_view bytes);

    // Advances to the next row; false when there is none.
    bool step();
    // Runs a statement that returns no rows, then makes it ready for the next bindings.
    void run();
    void reset();

    qint64 int64(int column) const;
    double real(int column) const;
    bool isNull(int column) const;
    std::string_view textView(int column) const;
    QString text(int column) const;
    std::string_view blob(int column) const;

  private:
    void check(int rc) const;

    Connection& m_connection;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace lundi
