#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>
#include <string_view>

namespace lundi {

// The bytes of one input file: memory-mapped, or inflated into memory when it is gzip.
class InputFile
{
  public:
    explicit InputFile(const QString& path); // throws ImportError
    // Bytes already in memory (a fuzz input, an HTTP body), read as if from a file of that name.
    InputFile(const QString& name, QByteArray bytes);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    const QString& path() const { return m_path; }
    // The name of the content: "trace.json" for trace.json.gz, as importers name tracks after it.
    QString fileName() const;
    std::string_view data() const { return m_data; }
    bool wasCompressed() const { return m_inflated != nullptr; }

    // Gives back the memory of data()[from, to) that a reader has passed: a mapped file's pages
    // leave the resident set (they are read again from the page cache if touched again), so an
    // import of any size stays within bounded memory. Does nothing for inflated content.
    void release(qint64 from, qint64 to) const;

    // 1-based line and column of a byte offset into data().
    std::pair<qint64, qint64> lineAndColumn(qint64 offset) const;

  private:
    void inflate(std::string_view gzip);

    QString m_path;
    QFile m_file;
    QByteArray m_bytes;
    std::string_view m_data;
    std::unique_ptr<char, void (*)(void*)> m_inflated{nullptr, nullptr};
};

} // namespace lundi
