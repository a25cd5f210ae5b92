#include "foldedstacksimporter.h"
#include "austinheader.h"
#include "foldedline.h"
#include "foldedreader.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"
#include "ingest/sink.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace lundi {

namespace {

using folded::FoldedLine;
using folded::FoldedReader;

constexpr std::string_view Utf8Bom = "\xEF\xBB\xBF";
// The first 4 KiB are what detection sees; a line may be cut at their end.
constexpr size_t DetectedBytes = 4096;

std::optional<QStringConverter::Encoding> utf16Encoding(std::string_view bytes)
{
    if (bytes.starts_with("\xFF\xFE"))
        return QStringConverter::Utf16LE;
    if (bytes.starts_with("\xFE\xFF"))
        return QStringConverter::Utf16BE;
    return std::nullopt;
}

// UTF-16 text after its byte-order mark as UTF-8, converted a slice at a time so that only the
// result is held whole: the input's memory is given back behind the conversion where it is an
// InputFile's. Unpaired surrogates become U+FFFD.
std::string utf8FromUtf16(std::string_view bytes, QStringConverter::Encoding encoding,
                          const InputFile* input = nullptr)
{
    constexpr size_t Slice = size_t(1) << 20;
    constexpr size_t Bom = 2;
    QStringDecoder decoder(encoding);
    std::string utf8;
    utf8.reserve(bytes.size() / 2);
    for (size_t at = Bom; at < bytes.size(); at += Slice) {
        const size_t size = std::min(Slice, bytes.size() - at);
        const QString text = decoder(QByteArrayView(bytes.data() + at, qsizetype(size)));
        const QByteArray slice = text.toUtf8();
        utf8.append(slice.constData(), size_t(slice.size()));
        if (input)
            input->release(qint64(at), qint64(at + size));
    }
    return utf8;
}

// A Prometheus sample ("http_requests_total{path=\"/a;b\"} 3") reads like a one-frame stack.
bool looksLikeMetric(std::string_view stack)
{
    const size_t brace = stack.find('{');
    if (brace == std::string_view::npos || brace == 0 || !stack.ends_with('}'))
        return false;
    for (const char c : stack.substr(0, brace)) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'))
            return false;
    }
    return true;
}

// How much the start of a text looks like folded stacks, 0 to 70: most lines frames separated by
// semicolons, a space and a count; no Prometheus comments or samples, no CSV.
int contentScore(std::string_view head)
{
    int stacks = 0;
    int withFrames = 0;
    int others = 0;
    for (size_t start = 0; start < head.size();) {
        size_t end = head.find('\n', start);
        if (end == std::string_view::npos) {
            // A line cut by the end of the head says nothing, unless it is the only one.
            if (stacks + others > 0 && head.size() >= DetectedBytes)
                break;
            end = head.size();
        }
        const std::string_view text = head.substr(start, end - start);
        start = end + 1;
        for (const std::string_view prometheus : {"# HELP ", "# TYPE ", "# UNIT ", "# EOF"}) {
            if (text.starts_with(prometheus))
                return 0;
        }
        const FoldedLine line = FoldedLine::parse(text);
        if (line.kind == FoldedLine::Kind::Bad) {
            ++others;
        } else if (line.kind == FoldedLine::Kind::Stack) {
            if (looksLikeMetric(line.stack))
                return 0;
            ++stacks;
            withFrames += line.stack.find(';') != std::string_view::npos;
        }
    }
    if (!withFrames) {
        // One stack deeper than the head: a long first line of frames, cut before its count.
        const bool cutStack = !stacks && others == 1 && head.size() >= DetectedBytes &&
                              head.find('\n') == std::string_view::npos &&
                              std::count(head.begin(), head.end(), ';') >= 3 && !head.starts_with('{') &&
                              !head.starts_with('[');
        return cutStack ? 30 : 0;
    }
    if (stacks * 3 < (stacks + others) * 2)
        return 0;
    return others ? 50 : 70;
}

// inferno's --nameattr file: per frame name, tab-separated SVG attributes (key=value). It sits
// beside folded profiles, often with their suffix, and holds no stack to import.
bool isNameAttributeFile(std::string_view text)
{
    bool any = false;
    while (!text.empty()) {
        const size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.empty())
            continue;
        size_t tab = line.find('\t');
        if (tab == std::string_view::npos || tab == 0)
            return false;
        while (tab != std::string_view::npos) {
            const size_t next = line.find('\t', tab + 1);
            const std::string_view field =
                line.substr(tab + 1, next == std::string_view::npos ? next : next - tab - 1);
            const size_t equals = field.find('=');
            if (equals == std::string_view::npos || equals == 0)
                return false;
            tab = next;
        }
        any = true;
    }
    return any;
}

// The source's metadata: the time a count stands for, and what austin's header said.
QByteArray metadataOf(const folded::AustinHeader& austin, qint64 nsPerCount)
{
    QJsonObject metadata{{QStringLiteral("nsPerSample"), nsPerCount}};
    if (austin.present()) {
        QJsonObject header{{QStringLiteral("version"), QString::fromStdString(austin.version)},
                           {QStringLiteral("mode"), QString::fromStdString(austin.mode)}};
        if (austin.intervalUs)
            header.insert(QStringLiteral("intervalUs"), *austin.intervalUs);
        metadata.insert(QStringLiteral("austin"), header);
    }
    return QJsonDocument(metadata).toJson(QJsonDocument::Compact);
}

} // namespace

QString FoldedStacksImporter::description() const
{
    return QStringLiteral(
        "Folded stacks (flamegraph.pl, inferno, async-profiler, austin), also differential and UTF-16");
}

int FoldedStacksImporter::detect(std::string_view head, const QString& fileName) const
{
    std::string transcoded;
    if (const auto encoding = utf16Encoding(head)) {
        transcoded = utf8FromUtf16(head, *encoding);
        head = transcoded;
    } else if (head.starts_with(Utf8Bom)) {
        head.remove_prefix(Utf8Bom.size());
    }
    const int score = contentScore(head);
    bool named = false;
    for (const char* suffix : {".folded", ".collapsed"})
        named = named || fileName.endsWith(QLatin1String(suffix), Qt::CaseInsensitive);
    if (!named)
        return score;
    return score ? score + 20 : 10;
}

void FoldedStacksImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    std::string transcoded;
    std::string_view text = input.data();
    qint64 offset = 0;
    if (const auto encoding = utf16Encoding(text)) {
        transcoded = utf8FromUtf16(text, *encoding, &input);
        text = transcoded;
        offset = -1;
    } else if (text.starts_with(Utf8Bom)) {
        text.remove_prefix(Utf8Bom.size());
        offset = qint64(Utf8Bom.size());
    }

    // Progress is in bytes of the input, which the Ingestor gives back behind it (a UTF-16 input
    // was read whole into the text already).
    const qint64 inputSize = qint64(input.data().size());
    const double inputPerTextByte = text.empty() ? 0 : double(inputSize) / double(text.size());
    const auto readProgress = [&](qint64 done) { control.progress(qint64(double(done) * inputPerTextByte)); };
    const folded::AustinHeader austin = folded::AustinHeader::read(text);
    if (austin.mode == "full") {
        throw ImportError(
            QStringLiteral("austin wrote this profile in its full mode, three numbers a sample (time, idle, "
                           "memory), which is no folded stack: profile again in austin's wall or cpu mode."),
            offset);
    }
    const qint64 nsPerCount = austin.timed() ? 1000 : folded::NsPerSample;
    std::optional<FoldedReader> reader;
    reader.emplace(text, offset, FoldedReader::Counts::Undecided, nsPerCount);
    reader->read(readProgress);
    if (const FoldedReader::Counts majority = reader->majority(); majority != reader->counts()) {
        // The first stack has another number of counts than most: read again as most are.
        reader.emplace(text, offset, majority, nsPerCount);
        reader->read(readProgress);
    }
    const folded::SkippedLines& skipped = reader->skipped();
    if (!reader->stacks() && isNameAttributeFile(text)) {
        sink.warn(
            QStringLiteral("This is an inferno name-attribute file (SVG attributes per frame name, for "
                           "--nameattr), not a profile: it holds no stacks, and nothing was imported."));
        return;
    }
    if (!reader->stacks()) {
        const QString problem = QStringLiteral(
            "no line is a folded stack (frames separated by semicolons, a space and a sample count, as in "
            "\"main;parse;read 12\")");
        if (skipped.count())
            throw ImportError(problem + QStringLiteral(": ") + skipped.reasons(), skipped.firstOffset());
        throw ImportError(problem + (text.empty()
                                         ? QStringLiteral("; the file is empty")
                                         : QStringLiteral("; there are only comments and blank lines")),
                          offset);
    }
    if (skipped.count())
        sink.warn(skipped.sentence());
    if (const qint64 lines = reader->twoCountLinesReadAsOne()) {
        const QString sentence =
            lines > 1 ? QStringLiteral(
                            "%1 lines end in two numbers, as a differential profile's do, but most lines "
                            "have one count: the first number was read as the end of the last frame's "
                            "name (the first such line is line %2).")
                      : QStringLiteral(
                            "%1 line ends in two numbers, as a differential profile's do, but most lines "
                            "have one count: the first number was read as the end of the last frame's "
                            "name (line %2).");
        sink.warn(sentence.arg(lines).arg(reader->firstTwoCountLine()));
    }
    if (austin.present() && !austin.timed()) {
        sink.warn(QStringLiteral("austin wrote this profile in its %1 mode, whose numbers are no time: each "
                                 "is shown as 1 ms of synthetic time.")
                      .arg(QString::fromStdString(austin.mode)));
    }
    sink.setMetadata(metadataOf(austin, nsPerCount));

    folded::StackTree& tree = reader->tree();
    tree.internFrames(sink);
    const QString trackName = input.fileName().isEmpty() ? QStringLiteral("samples") : input.fileName();
    for (int part = 0; part < tree.parts(); ++part) {
        if (tree.parts() == 2)
            sink.beginPart(part == 0 ? QStringLiteral("baseline") : QStringLiteral("incident"));
        TrackSpec track;
        track.kind = TrackKind::Thread;
        track.name = trackName;
        tree.write(sink, part, sink.addTrack(track), [&] { control.progress(inputSize); });
    }
}

} // namespace lundi
