#include "transaction.h"
#include "connection.h"

#include <sqlite3.h>

namespace lundi {

Transaction::Transaction(Connection& connection) : m_connection(connection)
{
    m_connection.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_open)
        sqlite3_exec(m_connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_connection.exec("COMMIT");
    m_open = false;
}

} // namespace lundi
