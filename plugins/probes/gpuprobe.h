#pragma once

#include "ingest/storesink.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace lundi {

class Importer;
class LiveSource;
class ProbeEngine;

// GPU sampling: `nvidia-smi --query-gpu=FIELDS --format=csv,noheader,nounits -lms N` as a child
// process whose output the engine's thread reads through a pipe (Boost.Asio), a batch of whole
// lines at a time. Each batch goes through the GPU CSV importer (the fields as its column list)
// into the LiveSource, in one write: a series per field and GPU, labelled by the GPU.
//
// The query always starts with timestamp and index, so that rows are dated by nvidia-smi's own
// clock however late the pipe delivers them, and told apart by GPU; the child runs with TZ=UTC,
// since nvidia-smi writes its local time without a zone.
class GpuProbe
{
  public:
    struct Options
    {
        QString program = QStringLiteral("nvidia-smi"); // looked up on PATH when it has no slash
        QStringList fields = defaultFields();
        std::chrono::milliseconds interval{1000};
        std::optional<qint64> count;                      // samples per series, then stop
        std::optional<std::chrono::nanoseconds> duration; // then stop
    };

    // What the probe has written so far.
    struct Progress
    {
        qint64 rows = 0;
        qint64 samples = 0;
        qint64 series = 0;
        qint64 lastSampleNs = 0; // 0: none yet
    };

    struct Callbacks
    {
        // After each batch was written; on the engine's thread.
        std::function<void(const Progress&)> onBatch;
        // Once, on the engine's thread, when the child has ended and been reaped: error is empty
        // when it ended as asked (count, duration, stop()), else the sentence that says why not.
        std::function<void(const QString& error)> onFinished;
    };

    // utilization.gpu, utilization.memory, memory.used, memory.total, power.draw,
    // temperature.gpu, clocks.sm (with timestamp, index and uuid first).
    static QStringList defaultFields();
    // The fields as asked of nvidia-smi: timestamp and index put first when missing.
    static QStringList queryFields(const QStringList& fields);
    // The executable that program names (a name is looked up on PATH), or an empty string and
    // the sentence that says why there is none in why.
    static QString locate(const QString& program, QString* why);
    // What the source's origin says: "nvidia-smi --query-gpu=... -lms 1000".
    static QString commandLine(const Options& options);
    // The session's source: format "probe-gpu", the command line as its origin.
    static SourceSpec sourceSpec(const Options& options);

    // importer: the GPU CSV importer ("gpu-csv"), which must outlive the probe, as must the
    // engine and the live source.
    GpuProbe(ProbeEngine& engine, LiveSource& live, const Importer& importer, Options options,
             Callbacks callbacks);
    ~GpuProbe(); // stop() and wait()
    GpuProbe(const GpuProbe&) = delete;
    GpuProbe& operator=(const GpuProbe&) = delete;

    // Any thread. Starts the child; the sentence that says why it could not (no nvidia-smi),
    // in which case onFinished is not called.
    std::optional<QString> start();
    // Any thread: ends the child (its process group); what it printed before is still written.
    void stop();
    // Blocks until the child has ended and onFinished has returned. Not on the engine's thread.
    void wait();
    bool finished() const;
    Progress progress() const; // any thread

  private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace lundi
