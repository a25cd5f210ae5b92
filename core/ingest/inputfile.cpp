#include "inputfile.h"
#include "importerror.h"

#include <QFileInfo>

#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace lundi {

namespace {

bool isGzip(std::string_view bytes)
{
    return bytes.size() >= 2 && quint8(bytes[0]) == 0x1f && quint8(bytes[1]) == 0x8b;
}

void adviseHugePages(char* data, size_t size)
{
    // First touch of fresh memory dominates large inflates; huge pages cut the faults.
    constexpr size_t page = 2u << 20;
    const auto begin = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
    const auto end = (reinterpret_cast<uintptr_t>(data) + size) & ~(page - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
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
    if (isGzip(raw))
        inflate(raw);
    else
        m_data = raw;
}

InputFile::InputFile(const QString& name, QByteArray bytes) : m_path(name), m_bytes(std::move(bytes))
{
    const std::string_view raw(m_bytes.constData(), size_t(m_bytes.size()));
    if (isGzip(raw))
        inflate(raw);
    else
        m_data = raw;
}

InputFile::~InputFile() = default;

void InputFile::release(qint64 from, qint64 to) const
{
    if (wasCompressed() || !m_bytes.isNull() || m_data.empty())
        return;
    const long page = sysconf(_SC_PAGESIZE);
    const auto base = reinterpret_cast<uintptr_t>(m_data.data());
    const uintptr_t begin = (base + uintptr_t(std::max<qint64>(from, 0)) + page - 1) & ~uintptr_t(page - 1);
    const uintptr_t end =
        (base + uintptr_t(std::clamp<qint64>(to, 0, qint64(m_data.size())))) & ~uintptr_t(page - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

QString InputFile::fileName() const
{
    QString name = QFileInfo(m_path).fileName();
    if (wasCompressed() && name.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive))
        name.chop(3);
    return name;
}

void InputFile::inflate(std::string_view gzip)
{
    // The gzip trailer holds the size modulo 4 GiB: a good first guess for the buffer.
    quint32 hint = 0;
    std::memcpy(&hint, gzip.data() + gzip.size() - std::min<size_t>(4, gzip.size()),
                std::min<size_t>(4, gzip.size()));
    // A truncated file ends in arbitrary bytes, not a size; deflate never expands past 1032:1.
    hint = quint32(std::min<quint64>(hint, quint64(gzip.size()) * 1032));
    size_t capacity = std::max<size_t>({size_t(hint) + 1, gzip.size() * 2, 4096});
    m_inflated.reset(static_cast<char*>(std::malloc(capacity)));
    m_inflated.get_deleter() = std::free;
    if (!m_inflated)
        throw ImportError(QStringLiteral("not enough memory to decompress %1").arg(fileName()));
    adviseHugePages(m_inflated.get(), capacity);

    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        throw ImportError(QStringLiteral("cannot start decompressing %1").arg(fileName()));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
    zs.avail_in = uInt(gzip.size());
    size_t produced = 0;
    int rc = Z_OK;
    while (true) {
        if (produced == capacity) {
            capacity *= 2;
            char* grown = static_cast<char*>(std::realloc(m_inflated.get(), capacity));
            if (!grown) {
                inflateEnd(&zs);
                throw ImportError(QStringLiteral("not enough memory to decompress %1").arg(fileName()));
            }
            m_inflated.release();
            m_inflated.reset(grown);
        }
        zs.next_out = reinterpret_cast<Bytef*>(m_inflated.get() + produced);
        zs.avail_out = uInt(std::min<size_t>(capacity - produced, 1u << 30));
        const uInt before = zs.avail_out;
        rc = ::inflate(&zs, Z_NO_FLUSH);
        produced += before - zs.avail_out;
        if (rc == Z_STREAM_END) {
            // Concatenated gzip members are one stream (as gzip(1) reads them).
            if (zs.avail_in > 0 && isGzip({reinterpret_cast<const char*>(zs.next_in), zs.avail_in})) {
                inflateReset(&zs);
                continue;
            }
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const qint64 offset = qint64(gzip.size() - zs.avail_in);
            const QString why = QString::fromUtf8(zs.msg ? zs.msg : "corrupt data");
            inflateEnd(&zs);
            throw ImportError(QStringLiteral("the gzip data is damaged (%1)").arg(why), offset);
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            inflateEnd(&zs);
            throw ImportError(QStringLiteral("the gzip data ends early (the file is truncated)"),
                              qint64(gzip.size()));
        }
    }
    inflateEnd(&zs);
    m_data = {m_inflated.get(), produced};
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
