#pragma once

#include "connection.h"
#include "queryresult.h"

#include <atomic>
#include <functional>

namespace lundi {

// Runs the SQL a user types against an incident, and only reads: its own connection opens the
// file read-only with PRAGMA query_only, an authorizer refuses every write, ATTACH, DETACH,
// transactions and load_extension(), and a statement SQLite reports as writing (VACUUM INTO)
// is refused before it runs. Each layer alone would do; together no slip in one writes.
class QueryRunner
{
  public:
    // Throws StoreError when the file cannot be opened.
    explicit QueryRunner(const QString& incidentPath);

    // Runs one statement and returns at most maxRows rows (0: all). Throws StoreError with one
    // sentence: SQLite's message, the refusal of a write, or the cancellation.
    QueryResult run(const QString& sql, qsizetype maxRows = 0);
    // Runs one statement and hands over its column names, then each row as it comes, keeping
    // none (an export of millions of rows); onRow returns false to stop. Throws as run() does.
    void stream(const QString& sql, const std::function<void(const QStringList& columns)>& onColumns,
                const std::function<bool(QVariantList&& row)>& onRow);
    // Stops the statement run() or stream() is running, from any thread; they then throw.
    void interrupt();

  private:
    static int authorize(void* self, int action, const char* arg1, const char* arg2, const char* database,
                         const char* trigger);
    [[noreturn]] void fail(int rc);

    Connection m_connection;
    QString m_refusal; // why the authorizer said no, for the sentence run() throws
    std::atomic<bool> m_interrupted = false;
};

} // namespace lundi
