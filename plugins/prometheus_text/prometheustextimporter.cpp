#include "prometheustextimporter.h"
#include "expositionimport.h"

#include "ingest/importerror.h"
#include "ingest/inputfile.h"

namespace lundi {

namespace {

using namespace prometheus;

std::string_view trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}

// A line that starts like a declaration or a sample with labels (name{label=), or a quoted
// name's ({"my.metric"), even if the rest is broken.
bool startsLikeExposition(std::string_view line)
{
    line = trimmed(line);
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ") || line.starts_with("# UNIT "))
        return true;
    if (line.starts_with("{\"")) {
        // {"my.metric", or {"http.status"=, where JSON has {"key":
        const size_t quote = line.find('"', 2);
        const size_t next =
            quote == std::string_view::npos ? quote : line.find_first_not_of(" \t", quote + 1);
        return next != std::string_view::npos &&
               (line[next] == ',' || line[next] == '}' || line[next] == '=');
    }
    const size_t brace = line.find('{');
    const size_t equals = line.find('=', brace);
    return equals != std::string_view::npos &&
           ExpositionParser::isMetricName(trimmed(line.substr(0, brace))) &&
           ExpositionParser::isMetricName(trimmed(line.substr(brace + 1, equals - brace - 1)));
}

} // namespace

QString PrometheusTextImporter::description() const
{
    return QStringLiteral(
        "Prometheus text exposition (0.0.4) and OpenMetrics 1.0: scrapes, textfiles, promtool "
        "dumps, also gzip");
}

int PrometheusTextImporter::detect(std::string_view head, const QString& fileName) const
{
    // Whole lines only: a long head ends in the middle of one.
    if (head.size() >= 4096 && head.find('\n') != std::string_view::npos)
        head = head.substr(0, head.rfind('\n') + 1);
    ExpositionParser parser(head, Dialect::Either);
    ExpositionLine line;
    int declarations = 0;
    int labelled = 0;
    int bare = 0;
    int brokenLikely = 0;
    int broken = 0;
    for (qint64 start = parser.offset(); start < qint64(head.size()); start = parser.offset()) {
        try {
            parser.next(line);
        } catch (const ImportError&) {
            const std::string_view text = head.substr(size_t(start), size_t(parser.offset() - start));
            ++(startsLikeExposition(text) ? brokenLikely : broken);
            continue;
        }
        if (line.kind == ExpositionLine::Kind::Sample)
            ++(line.labels.empty() ? bare : labelled);
        else if (line.kind != ExpositionLine::Kind::Blank && line.kind != ExpositionLine::Kind::Comment)
            ++declarations;
    }
    int score = 0;
    if (declarations || labelled)
        score = broken || brokenLikely ? 60 : 95;
    else if (brokenLikely)
        score = broken ? 50 : 60;
    else if (bare && !broken)
        score = 30; // "name 12" lines alone: a folded stack of single frames reads the same
    const bool namedSo = fileName.endsWith(QLatin1String(".prom"), Qt::CaseInsensitive) ||
                         fileName.endsWith(QLatin1String(".om"), Qt::CaseInsensitive) ||
                         fileName.endsWith(QLatin1String(".metrics"), Qt::CaseInsensitive);
    return score && namedSo ? score + 4 : score;
}

void PrometheusTextImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    ExpositionImport(input.data(), sink, control).run();
}

} // namespace lundi
