#include "connection.h"
#include "sampletable.h"
#include "storeerror.h"

#include <QFileInfo>

#include <sqlite3.h>

namespace lundi {

Connection::Connection(const QString& path, Access access) : m_path(path)
{
    const int mode =
        access == Access::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, mode | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        // SQLite hands out a handle even when opening fails; no destructor runs to close it.
        try {
            fail(QStringLiteral("opening it"));
        } catch (...) {
            sqlite3_close_v2(m_db);
            m_db = nullptr;
            throw;
        }
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
    if (SampleTable::install(m_db) != SQLITE_OK) {
        sqlite3_close_v2(m_db);
        m_db = nullptr; // fail() then says "out of memory", the one way installing fails
        fail(QStringLiteral("setting up its samples table"));
    }
}

Connection::~Connection()
{
    sqlite3_close_v2(m_db);
}

void Connection::exec(const char* sql)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(QStringLiteral("running %1")
                 .arg(QString::fromUtf8(sql).section(QLatin1Char('('), 0, 0).simplified()));
}

void Connection::fail(const QString& doing) const
{
    const QString why = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
    throw StoreError(
        QStringLiteral("%1: incident file error while %2: %3.").arg(QFileInfo(m_path).fileName(), doing, why),
        m_db && sqlite3_errcode(m_db) == SQLITE_BUSY);
}

} // namespace lundi
