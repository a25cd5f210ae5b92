#pragma once

#include <QString>

#include <stdexcept>

namespace lundi {

// Input that cannot be imported. Importers throw it with the byte offset where they gave up;
// the Ingestor adds the file and turns the offset into a line and column.
class ImportError : public std::runtime_error
{
  public:
    explicit ImportError(const QString& problem, qint64 offset = -1);
    ~ImportError() override;

    const QString& problem() const { return m_problem; }
    qint64 offset() const { return m_offset; }

    void locate(const QString& fileName, qint64 line, qint64 column);
    // One sentence naming the file and the position: "trace.json: line 3, column 14 (byte 52): ...".
    QString sentence() const;

  private:
    QString m_problem;
    qint64 m_offset = -1;
    QString m_fileName;
    qint64 m_line = 0;
    qint64 m_column = 0;
};

// Thrown through the importer when the user cancels; the import is rolled back.
class ImportCancelled : public std::exception
{
  public:
    const char* what() const noexcept override { return "import cancelled"; }
};

} // namespace lundi
