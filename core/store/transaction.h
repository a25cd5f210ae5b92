#pragma once

namespace lundi {

class Connection;

// BEGIN IMMEDIATE on construction; rolls back unless commit() was called, so an exception
// anywhere inside leaves the incident as it was.
class Transaction
{
  public:
    explicit Transaction(Connection& connection);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

  private:
    Connection& m_connection;
    bool m_open = true;
};

} // namespace lundi
