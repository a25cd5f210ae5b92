// libFuzzer target for one importer, chosen at compile time by LUNDI_FUZZ_FORMAT: each input is
// imported from memory into a ContractSink. Refusing it with an ImportError is a correct answer;
// a crash, undefined behaviour, a leak, any other exception, a hang (-timeout) or a breach of
// the Sink contract is a finding. See README.md here.

#include "contractsink.h"

#include "ingest/importcontrol.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

using namespace lundi;

namespace {

const QString FileName = QStringLiteral("fuzz-input");
// 2026-11-24T10:00:00Z, for samples the input does not date.
constexpr qint64 UndatedTimeNs = 1'795'514'400'000'000'000;

const Importer* importer = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    // Held for the whole run: the plugin stays loaded and its coverage counters registered.
    static const ImporterRegistry registry(QStringList{QStringLiteral(LUNDI_PLUGIN_DIR)});
    importer = registry.byFormat(QStringLiteral(LUNDI_FUZZ_FORMAT));
    if (!importer) {
        std::fprintf(stderr, "No importer for format %s in %s: %s\n", LUNDI_FUZZ_FORMAT, LUNDI_PLUGIN_DIR,
                     qPrintable(registry.problems().join(QLatin1Char(' '))));
        std::exit(1);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Gzip is inflated by InputFile before any importer sees it: fuzzing zlib finds nothing of
    // ours, and a 1 MB deflate bomb would only exhaust memory. Keep such inputs out of the corpus.
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        return -1;
    // No copy: libFuzzer's buffer is exactly the input's size, so AddressSanitizer sees a read
    // one byte past the end (a copy would have Qt's terminating zero and spare capacity there).
    const InputFile input(FileName,
                          QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size)));

    const int score = importer->detect(input.data().substr(0, 4096), FileName);
    if (score < 0 || score > 100)
        fuzz::ContractSink::breach("detect() answered outside 0..100");

    const qint64 total = qint64(input.data().size());
    ImportControl control(
        [](qint64 done, qint64 total) {
            if (done < 0 || done > total)
                fuzz::ContractSink::breach("progress outside 0..total bytes");
        },
        nullptr);
    control.setTotal(total);
    control.setUndatedTime(UndatedTimeNs, QStringLiteral("--at"));
    fuzz::ContractSink sink;
    try {
        importer->import(input, sink, control);
    } catch (const ImportError& error) {
        if (error.problem().trimmed().isEmpty())
            fuzz::ContractSink::breach("an ImportError without a sentence");
        if (error.offset() < -1 || error.offset() > total)
            fuzz::ContractSink::breach("an ImportError's offset is outside the input");
    }
    return 0;
}
