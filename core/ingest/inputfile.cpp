#include "inputfile.h"
#include "importerror.h"

#include <QDir>
#include <QFileInfo>
#include <QScopeGuard>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace lundi {

namespace {

bool isGzip(std::string_view bytes)
{
    return bytes.size() >= 2 && quint8(bytes[0]) == 0x1f && quint8(bytes[1]) == 0x8b;
}

// Drops the whole pages of [from, to) from the resident set; a file mapping reads them again
// from the page cache if they are touched again.
void dropPages(const char* from, const char* to)
{
    const auto page = uintptr_t(sysconf(_SC_PAGESIZE));
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(from) + page - 1) & ~(page - 1);
    const uintptr_t end = reinterpret_cast<uintptr_t>(to) & ~(page - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

// A file in folder without a name, so that nothing is left behind even when the process dies.
int openUnnamedFile(const QByteArray& folder)
{
    const int fd = open(folder.constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
        return fd;
    // A file system without O_TMPFILE: a named file, unlinked at once.
    QByteArray name = folder + "/lundi-inflated-XXXXXX";
    const int named = mkostemp(name.data(), O_CLOEXEC);
    if (named >= 0)
        unlink(name.constData());
    return named;
}

} // namespace

InputFile::InputFile(const QString& path) : m_path(path), m_file(path)
{
    if (QFileInfo(path).isDir())
        throw ImportError(QStringLiteral("%1 is a folder, not a file").arg(path));
    if (!m_file.open(QIODevice::ReadOnly))
        throw ImportError(QStringLiteral("cannot open %1: %2").arg(path, m_file.errorString()));
    std::string_view raw;
    if (m_file.size() > 0) {
        const uchar* mapped = m_file.map(0, m_file.size());
        if (!mapped)
            throw ImportError(QStringLiteral("cannot read %1: %2").arg(path, m_file.errorString()));
        raw = {reinterpret_cast<const char*>(mapped), size_t(m_file.size())};
        madvise(const_cast<uchar*>(mapped), raw.size(), MADV_SEQUENTIAL);
    }
    if (isGzip(raw)) {
        inflate(raw, true);
        m_file.unmap(reinterpret_cast<uchar*>(const_cast<char*>(raw.data())));
        m_file.close();
    } else {
        m_data = raw;
        m_releasable = !raw.empty();
    }
}

InputFile::InputFile(const QString& name, QByteArray bytes) : m_path(name), m_bytes(std::move(bytes))
{
    const std::string_view raw(m_bytes.constData(), size_t(m_bytes.size()));
    if (isGzip(raw)) {
        inflate(raw, false);
        m_bytes.clear();
    } else {
        m_data = raw;
    }
}

InputFile::~InputFile()
{
    if (m_inflated)
        munmap(m_inflated, m_data.size());
}

void InputFile::release(qint64 from, qint64 to) const
{
    if (!m_releasable)
        return;
    const qint64 size = qint64(m_data.size());
    dropPages(m_data.data() + std::clamp<qint64>(from, 0, size),
              m_data.data() + std::clamp<qint64>(to, 0, size));
}

QString InputFile::fileName() const
{
    QString name = QFileInfo(m_path).fileName();
    if (wasCompressed() && name.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive))
        name.chop(3);
    return name;
}

void InputFile::inflate(std::string_view gzip, bool gzipMapped)
{
    // Inflated content can be many times the input and more than memory: it goes to a file on
    // disk (not memfd or tmpfs, whose pages would count as the process's memory) and is mapped
    // like a plain input, so that release() gives its pages back.
    m_compressed = true;
    // QDir::tempPath() is empty when TMPDIR names no folder: the sentence names it still.
    const QString folder = QDir::tempPath().isEmpty() ? qEnvironmentVariable("TMPDIR") : QDir::tempPath();
    const int fd = openUnnamedFile(QFile::encodeName(folder));
    if (fd < 0) {
        const QString why = qt_error_string(errno);
        throw ImportError(
            QStringLiteral("cannot decompress %1: cannot create a file in the temporary folder %2 (%3)")
                .arg(fileName(), folder, why));
    }
    const auto closeFd = qScopeGuard([fd] { close(fd); });

    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        throw ImportError(QStringLiteral("cannot start decompressing %1").arg(fileName()));
    const auto endInflate = qScopeGuard([&zs] { inflateEnd(&zs); });
    // Large chunks: one write() each, and zlib's avail_in is 32 bits wide.
    constexpr size_t Chunk = 1 << 20;
    constexpr size_t InputChunk = 16 << 20;
    const auto buffer = std::make_unique_for_overwrite<char[]>(Chunk);
    size_t fed = 0; // bytes of gzip handed to zlib
    size_t produced = 0;
    while (true) {
        if (zs.avail_in == 0 && fed < gzip.size()) {
            if (gzipMapped)
                dropPages(gzip.data(), gzip.data() + fed);
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data() + fed));
            zs.avail_in = uInt(std::min(InputChunk, gzip.size() - fed));
            fed += zs.avail_in;
        }
        zs.next_out = reinterpret_cast<Bytef*>(buffer.get());
        zs.avail_out = uInt(Chunk);
        const int rc = ::inflate(&zs, Z_NO_FLUSH);
        const size_t got = Chunk - zs.avail_out;
        for (size_t written = 0; written < got;) {
            const ssize_t n = write(fd, buffer.get() + written, got - written);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                const QString why =
                    n == 0 || errno == ENOSPC || errno == EDQUOT
                        ? QStringLiteral("the disk is full after %1 MB").arg(produced / 1000000)
                        : qt_error_string(errno);
                throw ImportError(
                    QStringLiteral(
                        "cannot decompress %1 into the temporary folder %2 (set TMPDIR to use another): %3")
                        .arg(fileName(), folder, why));
            }
            written += size_t(n);
            produced += size_t(n);
        }
        const qint64 offset = qint64(fed - zs.avail_in);
        if (rc == Z_STREAM_END) {
            // Concatenated gzip members are one stream (as gzip(1) reads them).
            if (gzip.size() - size_t(offset) >= 2 && isGzip(gzip.substr(size_t(offset), 2))) {
                inflateReset(&zs);
                continue;
            }
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const QString why = QString::fromUtf8(zs.msg ? zs.msg : "corrupt data");
            throw ImportError(QStringLiteral("the gzip data is damaged (%1)").arg(why), offset);
        }
        // No progress with all of gzip given: the stream stops before its end.
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == gzip.size())
            throw ImportError(QStringLiteral("the gzip data ends early (the file is truncated)"),
                              qint64(gzip.size()));
    }
    if (produced == 0)
        return;
    void* mapped = mmap(nullptr, produced, PROT_READ, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        const QString why = qt_error_string(errno);
        throw ImportError(
            QStringLiteral("cannot map the decompressed content of %1 (%2)").arg(fileName(), why));
    }
    madvise(mapped, produced, MADV_SEQUENTIAL);
    m_inflated = mapped;
    m_data = {static_cast<const char*>(mapped), produced};
    m_releasable = true;
}

std::pair<qint64, qint64> InputFile::lineAndColumn(qint64 offset) const
{
    offset = std::clamp<qint64>(offset, 0, qint64(m_data.size()));
    const std::string_view before = m_data.substr(0, size_t(offset));
    const qint64 line = 1 + std::count(before.begin(), before.end(), '\n');
    const size_t lastNewline = before.rfind('\n');
    const qint64 column = offset - (lastNewline == std::string_view::npos ? 0 : qint64(lastNewline) + 1) + 1;
    return {line, column};
}

} // namespace lundi
