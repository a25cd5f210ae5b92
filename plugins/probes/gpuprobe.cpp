#include "gpuprobe.h"
#include "continuingsink.h"
#include "probeengine.h"

#include "ingest/importcontrol.h"
#include "ingest/importer.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"
#include "ingest/livesource.h"
#include "ingest/sink.h"
#include "store/storeerror.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lundi {

namespace {

// A line longer than this is no CSV row of nvidia-smi's (its widest query is about 8 KB).
constexpr size_t MaxLineBytes = 1 << 20;
// How long the child's process group gets after SIGTERM before SIGKILL.
constexpr auto KillGrace = std::chrono::seconds(2);
constexpr auto ReapPoll = std::chrono::milliseconds(10);
// What is kept of the child's stderr for the sentence when it fails.
constexpr size_t MaxErrorBytes = 4096;

QString firstLine(const std::string& text)
{
    const QString all = QString::fromUtf8(text).trimmed();
    return all.section(QLatin1Char('\n'), 0, 0).trimmed();
}

} // namespace

namespace {

// The importer's sink for one batch, over the ContinuingSink that keeps each GPU's series across
// batches: it counts the samples of each series, and takes at most count of them.
class CountingSink : public Sink
{
  public:
    // Samples per series so far, kept by the writer thread.
    using Counts = std::unordered_map<SeriesId, qint64>;

    CountingSink(ContinuingSink& sink, Counts& counts, std::optional<qint64> count)
        : m_sink(sink), m_counts(counts), m_count(count)
    {
    }

    StringId intern(std::string_view text) override { return m_sink.intern(text); }
    TrackId addTrack(const TrackSpec& track) override { return m_sink.addTrack(track); }
    SpanId addSpan(const SpanSpec& span) override { return m_sink.addSpan(span); }
    void addFlow(SpanId from, SpanId to, StringId name) override { m_sink.addFlow(from, to, name); }
    SeriesId addSeries(const SeriesSpec& series) override { return m_sink.addSeries(series); }
    void addSample(SeriesId series, qint64 timeNs, double value) override
    {
        qint64& samples = m_samples[series];
        const auto before = m_counts.find(series);
        if (m_count && samples + (before != m_counts.end() ? before->second : 0) >= *m_count) {
            // The next round has begun: every GPU has had its count.
            m_countReached = true;
            return;
        }
        m_sink.addSample(series, timeNs, value);
        ++samples;
        m_lastSampleNs = std::max(m_lastSampleNs, timeNs);
    }
    void warn(const QString& sentence) override { m_sink.warn(sentence); }
    void setMetadata(const QByteArray& json) override { m_sink.setMetadata(json); }
    void beginPart(const QString& part) override { m_sink.beginPart(part); }

    // After the write was committed: its samples count. Returns how many there were.
    qint64 commit()
    {
        qint64 added = 0;
        for (const auto& [series, samples] : m_samples) {
            m_counts[series] += samples;
            added += samples;
        }
        return added;
    }
    // Every series has its count, or a series was offered one more.
    bool countReached() const
    {
        if (!m_count)
            return false;
        return m_countReached || (!m_counts.empty() &&
                                  std::all_of(m_counts.begin(), m_counts.end(), [this](const auto& series) {
                                      return series.second >= *m_count;
                                  }));
    }
    qint64 lastSampleNs() const { return m_lastSampleNs; }

  private:
    ContinuingSink& m_sink;
    Counts& m_counts;
    const std::optional<qint64> m_count;
    Counts m_samples; // of this batch
    qint64 m_lastSampleNs = 0;
    bool m_countReached = false;
};

} // namespace

// The child's pipes, timers and exit are handled on the engine's thread; the batches are written
// on a thread of their own, so that the engine's thread never waits for the disk.
struct GpuProbe::State : std::enable_shared_from_this<GpuProbe::State>
{
    State(ProbeEngine& engine, LiveSource& live, const Importer& importer, Options options,
          Callbacks callbacks)
        : live(live), importer(importer), options(std::move(options)), callbacks(std::move(callbacks)),
          out(engine.context()), err(engine.context()), timer(engine.context()), reaper(engine.context())
    {
    }

    // Engine's thread.
    void readOut();
    void readErr();
    void terminate();
    void fail(const QString& sentence);
    void maybeReap();
    void reap();
    QString exitSentence(int status) const;
    void finish();
    // Writer thread.
    void writeBatch(const std::string& lines);

    LiveSource& live;
    const Importer& importer;
    const Options options;
    const Callbacks callbacks;
    QStringList fields;

    // Engine's thread.
    boost::asio::posix::stream_descriptor out;
    boost::asio::posix::stream_descriptor err;
    boost::asio::steady_timer timer;  // the duration
    boost::asio::steady_timer reaper; // polls for the child's end, then kills it after the grace
    pid_t pid = -1;
    std::array<char, 64 * 1024> buffer{};
    std::array<char, 4096> errBuffer{};
    std::string pending; // a line not ended yet
    std::string errText;
    bool outDone = false;
    bool errDone = false;
    bool terminating = false;   // the child was told to end, or closed its output
    bool stopRequested = false; // by stop(), the count, the duration or a failure
    std::chrono::steady_clock::time_point terminatedAt;
    QString error;

    // Writer thread.
    boost::asio::thread_pool writer{1};
    ContinuingSink continuing; // each batch's importer adds its series again: the first ones
    CountingSink::Counts counts;
    bool writeFailed = false;

    mutable std::mutex mutex;
    std::condition_variable finishedChanged;
    bool started = false;
    bool done = false;
    Progress progress;
};

QStringList GpuProbe::defaultFields()
{
    return {QStringLiteral("timestamp"),
            QStringLiteral("index"),
            QStringLiteral("uuid"),
            QStringLiteral("utilization.gpu"),
            QStringLiteral("utilization.memory"),
            QStringLiteral("memory.used"),
            QStringLiteral("memory.total"),
            QStringLiteral("power.draw"),
            QStringLiteral("temperature.gpu"),
            QStringLiteral("clocks.sm")};
}

QStringList GpuProbe::queryFields(const QStringList& fields)
{
    QStringList query;
    for (const QString& field : fields) {
        const QString name = field.trimmed();
        if (!name.isEmpty() && !query.contains(name, Qt::CaseInsensitive))
            query.append(name);
    }
    // Rows dated by nvidia-smi and told apart by GPU: without these two, several GPUs' rows
    // would land in one series at one time.
    for (const QString& required : {QStringLiteral("index"), QStringLiteral("timestamp")}) {
        const auto at = std::find_if(query.begin(), query.end(), [&](const QString& field) {
            return field.compare(required, Qt::CaseInsensitive) == 0;
        });
        if (at == query.end())
            query.prepend(required);
        else
            query.move(at - query.begin(), 0);
    }
    return query;
}

QString GpuProbe::locate(const QString& program, QString* why)
{
    if (program.contains(QLatin1Char('/'))) {
        const QFileInfo file(program);
        if (file.isFile() && file.isExecutable())
            return file.absoluteFilePath();
        *why = QStringLiteral("%1 is not an executable file: GPU sampling needs nvidia-smi, from the NVIDIA "
                              "driver's tools.")
                   .arg(program);
        return {};
    }
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty()) {
        *why = QStringLiteral("%1 was not found on PATH: GPU sampling needs the NVIDIA driver's tools.")
                   .arg(program);
    }
    return path;
}

QString GpuProbe::commandLine(const Options& options)
{
    return QStringLiteral("%1 --query-gpu=%2 --format=csv,noheader,nounits -lms %3")
        .arg(QFileInfo(options.program).fileName(), queryFields(options.fields).join(QLatin1Char(',')))
        .arg(options.interval.count());
}

SourceSpec GpuProbe::sourceSpec(const Options& options)
{
    return {QStringLiteral("probe-gpu"), commandLine(options)};
}

GpuProbe::GpuProbe(ProbeEngine& engine, LiveSource& live, const Importer& importer, Options options,
                   Callbacks callbacks)
    : m_state(std::make_shared<State>(engine, live, importer, std::move(options), std::move(callbacks)))
{
    m_state->fields = queryFields(m_state->options.fields);
}

GpuProbe::~GpuProbe()
{
    stop();
    wait();
    m_state->writer.join();
}

std::optional<QString> GpuProbe::start()
{
    QString why;
    const QString program = locate(m_state->options.program, &why);
    if (program.isEmpty())
        return why;

    int outPipe[2];
    int errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0)
        return QStringLiteral("No pipe for %1: %2.")
            .arg(program, QString::fromLocal8Bit(std::strerror(errno)));
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return QStringLiteral("No pipe for %1: %2.")
            .arg(program, QString::fromLocal8Bit(std::strerror(error)));
    }

    const QByteArray path = QFile::encodeName(program);
    const QByteArray query = "--query-gpu=" + m_state->fields.join(QLatin1Char(',')).toUtf8();
    const QByteArray interval = QByteArray::number(qint64(m_state->options.interval.count()));
    std::array<char*, 6> argv{const_cast<char*>(path.constData()),
                              const_cast<char*>(query.constData()),
                              const_cast<char*>("--format=csv,noheader,nounits"),
                              const_cast<char*>("-lms"),
                              const_cast<char*>(interval.constData()),
                              nullptr};
    // The environment with TZ=UTC: nvidia-smi's timestamps carry no zone.
    std::vector<char*> env;
    for (char** variable = environ; *variable; ++variable) {
        if (std::strncmp(*variable, "TZ=", 3) != 0)
            env.push_back(*variable);
    }
    env.push_back(const_cast<char*>("TZ=UTC"));
    env.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // A process group of its own, so that stop() ends a wrapper script's children too.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, path.constData(), &actions, &attributes, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (spawned != 0) {
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        return QStringLiteral("%1 could not be started: %2.")
            .arg(program, QString::fromLocal8Bit(std::strerror(spawned)));
    }

    const std::shared_ptr<State> state = m_state;
    {
        const std::lock_guard lock(state->mutex);
        state->started = true;
    }
    boost::asio::post(state->out.get_executor(), [state, pid, outFd = outPipe[0], errFd = errPipe[0]] {
        state->pid = pid;
        state->out.assign(outFd);
        state->err.assign(errFd);
        if (state->options.duration) {
            state->timer.expires_after(*state->options.duration);
            state->timer.async_wait([state](const boost::system::error_code& error) {
                if (!error)
                    state->terminate();
            });
        }
        state->readOut();
        state->readErr();
    });
    return std::nullopt;
}

void GpuProbe::stop()
{
    boost::asio::post(m_state->out.get_executor(), [state = m_state] {
        if (state->pid > 0)
            state->terminate();
    });
}

void GpuProbe::wait()
{
    std::unique_lock lock(m_state->mutex);
    // A probe that never started has nothing to wait for.
    m_state->finishedChanged.wait(lock, [this] { return m_state->done || !m_state->started; });
}

bool GpuProbe::finished() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->done;
}

GpuProbe::Progress GpuProbe::progress() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->progress;
}

void GpuProbe::State::readOut()
{
    out.async_read_some(
        boost::asio::buffer(buffer),
        [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
            if (error) {
                self->outDone = true;
                // The rest of a line the child did not end is still a row.
                if (!self->pending.empty() && self->error.isEmpty()) {
                    boost::asio::post(self->writer, [self, lines = std::exchange(self->pending, {})] {
                        self->writeBatch(lines);
                    });
                }
                self->maybeReap();
                return;
            }
            // After a failure the rest is read only to let the child end.
            if (self->error.isEmpty())
                self->pending.append(self->buffer.data(), bytes);
            const size_t end = self->pending.rfind('\n');
            if (end != std::string::npos) {
                boost::asio::post(self->writer, [self, lines = self->pending.substr(0, end + 1)] {
                    self->writeBatch(lines);
                });
                self->pending.erase(0, end + 1);
            }
            if (self->pending.size() > MaxLineBytes) {
                self->fail(
                    QStringLiteral("nvidia-smi printed a line of more than %1 bytes; that is not the CSV it "
                                   "was asked for.")
                        .arg(MaxLineBytes));
                self->pending.clear();
            }
            self->readOut();
        });
}

void GpuProbe::State::readErr()
{
    err.async_read_some(boost::asio::buffer(errBuffer),
                        [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
                            if (error) {
                                self->errDone = true;
                                self->maybeReap();
                                return;
                            }
                            self->errText.append(self->errBuffer.data(),
                                                 std::min(bytes, MaxErrorBytes - self->errText.size()));
                            self->readErr();
                        });
}

void GpuProbe::State::writeBatch(const std::string& lines)
{
    if (writeFailed || lines.find_first_not_of(" \t\r\n") == std::string::npos)
        return;
    const qint64 rows = qint64(std::count(lines.begin(), lines.end(), '\n')) + (lines.back() != '\n');
    CountingSink batch(continuing, counts, options.count);
    QString failure;
    try {
        live.write([&](Sink& sink) {
            continuing.begin(sink);
            ImportControl control;
            control.setColumns(fields);
            control.setZonelessTimesAreUtc(true);
            importer.import(
                InputFile(QStringLiteral("nvidia-smi"), QByteArray(lines.data(), qsizetype(lines.size()))),
                batch, control);
        });
    } catch (const ImportError& importError) {
        failure =
            QStringLiteral("nvidia-smi printed something other than the CSV it was asked for (\"%1\"): %2")
                .arg(firstLine(lines), importError.problem());
    } catch (const StoreError& storeError) {
        failure = storeError.sentence();
    }
    if (!failure.isEmpty()) {
        continuing.rollback();
        writeFailed = true;
        boost::asio::post(out.get_executor(), [self = shared_from_this(), failure] { self->fail(failure); });
        return;
    }
    // Counted only now that the write is committed: a failed one added nothing.
    continuing.commit();
    const qint64 added = batch.commit();
    Progress now;
    {
        const std::lock_guard lock(mutex);
        progress.rows += rows;
        progress.samples += added;
        progress.series = qint64(counts.size());
        progress.lastSampleNs = std::max(progress.lastSampleNs, batch.lastSampleNs());
        now = progress;
    }
    if (callbacks.onBatch)
        callbacks.onBatch(now);
    if (batch.countReached())
        boost::asio::post(out.get_executor(), [self = shared_from_this()] { self->terminate(); });
}

void GpuProbe::State::fail(const QString& sentence)
{
    if (error.isEmpty())
        error = sentence;
    terminate();
}

void GpuProbe::State::terminate()
{
    if (terminating || pid <= 0)
        return;
    terminating = true;
    stopRequested = true;
    terminatedAt = std::chrono::steady_clock::now();
    timer.cancel();
    ::kill(-pid, SIGTERM);
    maybeReap();
}

void GpuProbe::State::maybeReap()
{
    // The child closing its output ends the sampling, whether or not it is still running.
    if (outDone && !terminating && pid > 0) {
        terminating = true;
        terminatedAt = std::chrono::steady_clock::now();
        timer.cancel();
    }
    if (outDone && errDone)
        reap();
}

void GpuProbe::State::reap()
{
    int status = 0;
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == 0) {
        if (std::chrono::steady_clock::now() - terminatedAt > KillGrace)
            ::kill(-pid, SIGKILL);
        reaper.expires_after(ReapPoll);
        reaper.async_wait([self = shared_from_this()](const boost::system::error_code&) { self->reap(); });
        return;
    }
    pid = -1;
    // Once the writer has written what was read (and told of any failure), finish here.
    boost::asio::post(writer, [self = shared_from_this(), reaped, status] {
        boost::asio::post(self->out.get_executor(), [self, reaped, status] {
            // Ended by its own doing, not by stop(), the count or the duration: say why.
            if (self->error.isEmpty() && reaped > 0 && !self->stopRequested)
                self->error = self->exitSentence(status);
            self->finish();
        });
    });
}

QString GpuProbe::State::exitSentence(int status) const
{
    const QString told = firstLine(errText);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        return told.isEmpty()
                   ? QStringLiteral("nvidia-smi ended with status %1.").arg(WEXITSTATUS(status))
                   : QStringLiteral("nvidia-smi ended with status %1: %2").arg(WEXITSTATUS(status)).arg(told);
    }
    if (WIFSIGNALED(status))
        return QStringLiteral("nvidia-smi was ended by signal %1.").arg(WTERMSIG(status));
    const std::lock_guard lock(mutex);
    return progress.rows == 0 ? QStringLiteral("nvidia-smi ended without printing a row.") : QString();
}

void GpuProbe::State::finish()
{
    out.close();
    err.close();
    if (callbacks.onFinished)
        callbacks.onFinished(error);
    const std::lock_guard lock(mutex);
    done = true;
    finishedChanged.notify_all();
}

} // namespace lundi
