#include "queryrunner.h"
#include "storeerror.h"

#include <QElapsedTimer>

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <memory>

namespace lundi {

namespace {

// Pragmas that only report what they are asked without an argument (a value would set them).
constexpr const char* const ReportingPragmas[] = {
    "application_id", "collation_list", "compile_options", "data_version", "database_list", "encoding",
    "freelist_count", "function_list",  "journal_mode",    "module_list",  "page_count",    "page_size",
    "pragma_list",    "schema_version", "table_list",      "user_version"};
// Pragmas whose argument names what to report on (table_info(spans)), never a value to set.
constexpr const char* const InspectingPragmas[] = {"foreign_key_check", "foreign_key_list", "index_info",
                                                   "index_list",        "index_xinfo",      "integrity_check",
                                                   "quick_check",       "table_info",       "table_xinfo"};

bool listed(const auto& pragmas, const char* name)
{
    return std::any_of(std::begin(pragmas), std::end(pragmas),
                       [name](const char* pragma) { return qstricmp(name, pragma) == 0; });
}

// SQLite's message as one sentence: a capital first letter and a full stop.
QString sentence(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    if (!text.endsWith(QLatin1Char('.')))
        text += QLatin1Char('.');
    return text;
}

QString whatWrites(int action, const char* arg1)
{
    const QString object = QString::fromUtf8(arg1 ? arg1 : "");
    // CREATE, DROP and ALTER write the schema table before SQLite asks about them by name.
    if (object == QLatin1String("sqlite_master") || object == QLatin1String("sqlite_temp_master"))
        return QStringLiteral("changing the schema");
    switch (action) {
    case SQLITE_INSERT:
        return QStringLiteral("INSERT into ") + object;
    case SQLITE_UPDATE:
        return QStringLiteral("UPDATE of ") + object;
    case SQLITE_DELETE:
        return QStringLiteral("DELETE from ") + object;
    case SQLITE_ATTACH:
        return QStringLiteral("ATTACH");
    case SQLITE_DETACH:
        return QStringLiteral("DETACH");
    case SQLITE_PRAGMA:
        return QStringLiteral("PRAGMA ") + object;
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        return QStringLiteral("a transaction");
    case SQLITE_FUNCTION:
        return object + QStringLiteral("()");
    default:
        return QStringLiteral("changing the schema");
    }
}

} // namespace

QueryRunner::QueryRunner(const QString& incidentPath)
    : m_connection(incidentPath, Connection::Access::ReadOnly)
{
    sqlite3* db = m_connection.handle();
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    // No value near the incident's own sizes is this long; randomblob(1e9) would take a
    // gigabyte from the window before anyone could press Cancel.
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100'000'000);
    m_connection.exec("PRAGMA query_only = 1");
    sqlite3_set_authorizer(db, &QueryRunner::authorize, this);
}

int QueryRunner::authorize(void* self, int action, const char* arg1, const char* arg2, const char*,
                           const char*)
{
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_UPDATE:
        // Connecting an eponymous virtual table (samples, json_each, pragma_table_info) asks
        // for these columns of sqlite_master, once per connection. It writes nothing; a typed
        // UPDATE of sqlite_master is refused by SQLite itself before it gets here.
        if (qstricmp(arg1, "sqlite_master") == 0)
            return SQLITE_OK;
        break;
    case SQLITE_FUNCTION:
        // Denied at the connection too; refused here by name, whatever the build allows.
        if (qstricmp(arg2, "load_extension") != 0)
            return SQLITE_OK;
        arg1 = arg2;
        break;
    case SQLITE_PRAGMA:
        if (listed(InspectingPragmas, arg1) || (!arg2 && listed(ReportingPragmas, arg1)))
            return SQLITE_OK;
        break;
    default:
        break;
    }
    static_cast<QueryRunner*>(self)->m_refusal =
        QStringLiteral("Lundi's SQL only reads the incident: %1 is refused.").arg(whatWrites(action, arg1));
    return SQLITE_DENY;
}

void QueryRunner::fail(int rc)
{
    if (m_interrupted || rc == SQLITE_INTERRUPT)
        throw StoreError(QStringLiteral("The query was cancelled."));
    if (!m_refusal.isEmpty())
        throw StoreError(m_refusal);
    throw StoreError(sentence(QString::fromUtf8(sqlite3_errmsg(m_connection.handle()))));
}

QueryResult QueryRunner::run(const QString& sql, qsizetype maxRows)
{
    QElapsedTimer timer;
    timer.start();
    QueryResult result;
    stream(
        sql, [&result](const QStringList& columns) { result.columns = columns; },
        [&result, maxRows](QVariantList&& row) {
            if (maxRows && qsizetype(result.rows.size()) == maxRows) {
                result.truncated = true;
                return false;
            }
            result.rows.push_back(std::move(row));
            return true;
        });
    result.elapsedNs = timer.nsecsElapsed();
    return result;
}

void QueryRunner::stream(const QString& sql, const std::function<void(const QStringList& columns)>& onColumns,
                         const std::function<bool(QVariantList&& row)>& onRow)
{
    m_interrupted = false;
    m_refusal.clear();
    const QByteArray text = sql.toUtf8();
    sqlite3* db = m_connection.handle();
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db, text.constData(), int(text.size()), &raw, &tail);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
    if (rc != SQLITE_OK)
        fail(rc);
    if (!statement)
        throw StoreError(QStringLiteral("There is no SQL statement to run."));
    // Text after the statement must be nothing but white space and comments.
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v2(db, tail, int(text.constData() + text.size() - tail), &next, nullptr);
    sqlite3_finalize(next);
    if (rc != SQLITE_OK || next)
        throw StoreError(QStringLiteral("Lundi's SQL runs one statement at a time; remove what follows the "
                                        "first semicolon."));
    if (!sqlite3_stmt_readonly(statement.get()))
        throw StoreError(QStringLiteral("Lundi's SQL only reads the incident: this statement would write."));

    sqlite3_stmt* s = statement.get();
    const int columnCount = sqlite3_column_count(s);
    QStringList columns;
    for (int column = 0; column < columnCount; ++column)
        columns.append(QString::fromUtf8(sqlite3_column_name(s, column)));
    onColumns(columns);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        QVariantList row;
        row.reserve(columnCount);
        for (int column = 0; column < columnCount; ++column) {
            switch (sqlite3_column_type(s, column)) {
            case SQLITE_INTEGER:
                row.append(qint64(sqlite3_column_int64(s, column)));
                break;
            case SQLITE_FLOAT:
                row.append(sqlite3_column_double(s, column));
                break;
            case SQLITE_TEXT:
                row.append(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, column)),
                                             sqlite3_column_bytes(s, column)));
                break;
            case SQLITE_BLOB:
                row.append(QByteArray(static_cast<const char*>(sqlite3_column_blob(s, column)),
                                      sqlite3_column_bytes(s, column)));
                break;
            default:
                row.append(QVariant());
            }
        }
        if (!onRow(std::move(row)))
            return;
    }
    if (rc != SQLITE_DONE)
        fail(rc);
}

void QueryRunner::interrupt()
{
    m_interrupted = true;
    sqlite3_interrupt(m_connection.handle());
}

} // namespace lundi
