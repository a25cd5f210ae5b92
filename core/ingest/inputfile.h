#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <string_view>

namespace lundi {

// The bytes of one input file, memory-mapped. Gzip input is inflated into an unnamed file in
// the temporary folder and that file is mapped, so that its pages, too, can be given back.
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
    bool wasCompressed() const { return m_compressed; }

    // Gives back the memory of data()[from, to) that a reader has passed: a mapped file's pages
    // leave the resident set (they are read again from the page cache if touched again), so an
    // import of any size stays within bounded memory. Does nothing for bytes given in memory.
    void release(qint64 from, qint64 to) const;

    // 1-based line and column of a byte offset into data().
    std::pair<qint64, qint64> lineAndColumn(qint64 offset) const;

  private:
    // Inflates gzip into an unnamed temporary file and maps that. When gzipMapped (the input
    // file's mapping, not bytes in memory), the pages of gzip already read are given back.
    void inflate(std::string_view gzip, bool gzipMapped);

    QString m_path;
    QFile m_file;
    QByteArray m_bytes;
    std::string_view m_data;
    bool m_compressed = false;
    bool m_releasable = false;  // m_data is a mapping whose pages can be dropped
    void* m_inflated = nullptr; // the mapping of the inflated content, m_data's
};

} // namespace lundi
