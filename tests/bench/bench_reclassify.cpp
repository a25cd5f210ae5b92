// lundi-bench-reclassify [SPANS] [RUNS]: re-classifying every span of an incident file with new
// rules, in one transaction, (a) spans with a name and cat only, (b) the same spans with three
// attributes each (one of them unique per span, one whose value a rule reads), the rules unchanged,
// and (c) rules in reverse order, which move most spans to another category. Prints medians.

#include "benchclock.h"
#include "benchincident.h"

#include "ingest/reclassify.h"
#include "store/storeerror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr IncidentShape Shape{8, 8, TrackKind::Thread};

Classifier reversedRules()
{
    QJsonObject rules = QJsonDocument::fromJson(Classifier::builtInJson()).object();
    QJsonArray reversed;
    for (const QJsonValue& rule : rules.value(QLatin1String("rules")).toArray())
        reversed.prepend(rule);
    rules.insert(QLatin1String("rules"), reversed);
    return Classifier::fromJson(QJsonDocument(rules).toJson(), QStringLiteral("reversed"));
}

// Median milliseconds of runs re-classifications, alternating between the rules given so that
// every run after the first changes what the one before it wrote; and the spans changed.
std::pair<double, qint64> measure(Store& store, const std::vector<const Classifier*>& rules, int runs)
{
    std::vector<double> times;
    qint64 changed = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        changed = reclassify(store, *rules[size_t(run) % rules.size()]).changed;
        times.push_back(msSince(start));
    }
    return {median(times), changed};
}

} // namespace

int main(int argc, char** argv)
{
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    if (argc > 3 || count < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-reclassify [SPANS] [RUNS]\n");
        return 2;
    }
    try {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bench.lundi"));
        writeIncident(path, count, Shape);
        Store store(path);
        const Classifier standard = Classifier::standard();
        const Classifier reversed = reversedRules();

        const auto [plain, plainChanged] = measure(store, {&standard}, runs);
        std::printf("reclassify %lld spans, name and cat only, same rules: %.0f ms (%lld changed)\n",
                    static_cast<long long>(count), plain, static_cast<long long>(plainChanged));
        store.connection().exec(
            "UPDATE spans SET attributes = json_object('http.method', 'GET', 'span.kind', "
            "CASE id % 3 WHEN 0 THEN 'server' WHEN 1 THEN 'client' ELSE 'internal' END, 'request.id', id)");
        const auto [same, sameChanged] = measure(store, {&standard}, runs);
        std::printf("reclassify %lld spans with 3 attributes, same rules: %.0f ms (%lld changed)\n",
                    static_cast<long long>(count), same, static_cast<long long>(sameChanged));
        const auto [moved, movedChanged] = measure(store, {&reversed, &standard}, runs);
        std::printf(
            "reclassify %lld spans with 3 attributes, rules reversed and back: %.0f ms (%lld changed)\n",
            static_cast<long long>(count), moved, static_cast<long long>(movedChanged));
    } catch (const StoreError& error) {
        std::fprintf(stderr, "%s\n", qPrintable(error.sentence()));
        return 1;
    }
    return 0;
}
