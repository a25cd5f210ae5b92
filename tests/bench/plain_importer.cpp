// lundi-bench-plain-import OUT.db TRACE.json: the yardstick of the import benchmark, the plain
// single-threaded importer anyone would write in an afternoon: mmap the file, parse it with
// RapidJSON's SAX Reader, and insert every X event in one SQLite transaction through prepared
// statements. No parents, no classification, no tracks, no warnings.

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

[[noreturn]] void fail(const char* what, const char* why)
{
    std::fprintf(stderr, "lundi-bench-plain-import: %s: %s\n", what, why);
    std::exit(1);
}

class Database
{
  public:
    explicit Database(const char* path)
    {
        if (sqlite3_open(path, &m_db) != SQLITE_OK)
            fail(path, sqlite3_errmsg(m_db));
        // The store's own settings, so the comparison is of the importers, not of the pragmas.
        exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
             "CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);"
             "CREATE TABLE events(id INTEGER PRIMARY KEY, name_id INTEGER NOT NULL, cat_id INTEGER,"
             " ts_ns INTEGER NOT NULL, dur_ns INTEGER NOT NULL, pid INTEGER, tid INTEGER, args TEXT);"
             "BEGIN");
        m_insertString = prepare("INSERT INTO strings(id, text) VALUES(?, ?)");
        m_insertEvent = prepare("INSERT INTO events(name_id, cat_id, ts_ns, dur_ns, pid, tid, args)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?)");
    }
    ~Database()
    {
        sqlite3_finalize(m_insertString);
        sqlite3_finalize(m_insertEvent);
        sqlite3_close(m_db);
    }

    void exec(const char* sql)
    {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            fail("sqlite", sqlite3_errmsg(m_db));
    }

    sqlite3_int64 intern(const std::string& text)
    {
        auto [it, inserted] = m_strings.try_emplace(text, sqlite3_int64(m_strings.size() + 1));
        if (inserted) {
            sqlite3_bind_int64(m_insertString, 1, it->second);
            sqlite3_bind_text(m_insertString, 2, text.data(), int(text.size()), SQLITE_STATIC);
            step(m_insertString);
        }
        return it->second;
    }

    void insertEvent(sqlite3_int64 name, sqlite3_int64 cat, sqlite3_int64 tsNs, sqlite3_int64 durNs,
                     sqlite3_int64 pid, sqlite3_int64 tid, std::string_view args)
    {
        sqlite3_bind_int64(m_insertEvent, 1, name);
        sqlite3_bind_int64(m_insertEvent, 2, cat);
        sqlite3_bind_int64(m_insertEvent, 3, tsNs);
        sqlite3_bind_int64(m_insertEvent, 4, durNs);
        sqlite3_bind_int64(m_insertEvent, 5, pid);
        sqlite3_bind_int64(m_insertEvent, 6, tid);
        sqlite3_bind_text(m_insertEvent, 7, args.data(), int(args.size()), SQLITE_STATIC);
        step(m_insertEvent);
    }

  private:
    sqlite3_stmt* prepare(const char* sql)
    {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
            fail("sqlite", sqlite3_errmsg(m_db));
        return statement;
    }
    void step(sqlite3_stmt* statement)
    {
        if (sqlite3_step(statement) != SQLITE_DONE)
            fail("sqlite", sqlite3_errmsg(m_db));
        sqlite3_reset(statement);
    }

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_insertString = nullptr;
    sqlite3_stmt* m_insertEvent = nullptr;
    std::unordered_map<std::string, sqlite3_int64> m_strings;
};

// Follows the document's nesting: the events are the objects directly inside the traceEvents
// array (or the top-level array); an event's args are re-serialised as they stream past.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler>
{
  public:
    explicit Handler(Database& db) : m_db(db) {}

    long long events() const { return m_events; }

    bool StartObject()
    {
        if (m_argsDepth >= 0)
            m_writer.StartObject();
        else if (m_depth == m_eventsDepth)
            m_event = {};
        else if (m_depth == m_eventsDepth + 1 && m_field == Field::Args)
            startArgs();
        ++m_depth;
        return true;
    }
    bool EndObject(rapidjson::SizeType)
    {
        --m_depth;
        if (m_argsDepth >= 0)
            endArgsContainer(true);
        else if (m_depth == m_eventsDepth)
            finishEvent();
        return true;
    }
    bool StartArray()
    {
        if (m_argsDepth >= 0)
            m_writer.StartArray();
        else if (m_depth == 0 || (m_depth == 1 && m_field == Field::TraceEvents))
            m_eventsDepth = m_depth + 1;
        ++m_depth;
        return true;
    }
    bool EndArray(rapidjson::SizeType)
    {
        --m_depth;
        if (m_argsDepth >= 0)
            endArgsContainer(false);
        return true;
    }
    bool Key(const char* text, rapidjson::SizeType length, bool)
    {
        const std::string_view key(text, length);
        if (m_argsDepth >= 0)
            m_writer.Key(text, length);
        else if (m_depth == 1 && m_eventsDepth < 0)
            m_field = key == "traceEvents" ? Field::TraceEvents : Field::Other;
        else if (m_depth == m_eventsDepth + 1)
            m_field = key == "name"   ? Field::Name
                      : key == "cat"  ? Field::Cat
                      : key == "ph"   ? Field::Ph
                      : key == "ts"   ? Field::Ts
                      : key == "dur"  ? Field::Dur
                      : key == "pid"  ? Field::Pid
                      : key == "tid"  ? Field::Tid
                      : key == "args" ? Field::Args
                                      : Field::Other;
        return true;
    }
    bool String(const char* text, rapidjson::SizeType length, bool)
    {
        if (m_argsDepth >= 0)
            m_writer.String(text, length);
        else if (m_depth == m_eventsDepth + 1 && m_field == Field::Name)
            m_event.name.assign(text, length);
        else if (m_depth == m_eventsDepth + 1 && m_field == Field::Cat)
            m_event.cat.assign(text, length);
        else if (m_depth == m_eventsDepth + 1 && m_field == Field::Ph)
            m_event.ph.assign(text, length);
        return true;
    }
    bool Int(int value) { return Int64(value); }
    bool Uint(unsigned value) { return Int64(value); }
    bool Uint64(uint64_t value) { return Double(double(value)); }
    bool Int64(int64_t value)
    {
        if (m_argsDepth >= 0)
            m_writer.Int64(value);
        else
            number(value * 1000, value);
        return true;
    }
    bool Double(double value)
    {
        if (m_argsDepth >= 0)
            m_writer.Double(value);
        else
            number(std::llround(value * 1000), std::llround(value));
        return true;
    }
    bool Bool(bool value) { return m_argsDepth >= 0 ? m_writer.Bool(value) : true; }
    bool Null() { return m_argsDepth >= 0 ? m_writer.Null() : true; }

  private:
    enum class Field { Other, TraceEvents, Name, Cat, Ph, Ts, Dur, Pid, Tid, Args };
    struct Event
    {
        std::string name, cat, ph;
        long long tsNs = 0, durNs = 0, pid = 0, tid = 0;
        bool hasArgs = false;
    };

    void number(long long nanoseconds, long long whole)
    {
        if (m_depth != m_eventsDepth + 1)
            return;
        if (m_field == Field::Ts)
            m_event.tsNs = nanoseconds;
        else if (m_field == Field::Dur)
            m_event.durNs = nanoseconds;
        else if (m_field == Field::Pid)
            m_event.pid = whole;
        else if (m_field == Field::Tid)
            m_event.tid = whole;
    }
    void startArgs()
    {
        m_args.Clear();
        m_writer.Reset(m_args);
        m_writer.StartObject();
        m_argsDepth = m_depth;
        m_event.hasArgs = true;
    }
    void endArgsContainer(bool object)
    {
        object ? m_writer.EndObject() : m_writer.EndArray();
        if (m_depth == m_argsDepth)
            m_argsDepth = -1;
    }
    void finishEvent()
    {
        if (m_event.ph != "X")
            return;
        const std::string_view args =
            m_event.hasArgs ? std::string_view(m_args.GetString(), m_args.GetSize()) : std::string_view("{}");
        m_db.insertEvent(m_db.intern(m_event.name), m_db.intern(m_event.cat), m_event.tsNs, m_event.durNs,
                         m_event.pid, m_event.tid, args);
        ++m_events;
    }

    Database& m_db;
    int m_depth = 0;
    int m_eventsDepth = -1; // the depth of the event objects, once the events array opened
    int m_argsDepth = -1;   // the depth of the args object being copied, -1 outside
    Field m_field = Field::Other;
    Event m_event;
    rapidjson::StringBuffer m_args;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer;
    long long m_events = 0;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: lundi-bench-plain-import OUT.db TRACE.json\n");
        return 2;
    }
    const int fd = open(argv[2], O_RDONLY);
    struct stat info = {};
    if (fd < 0 || fstat(fd, &info) != 0)
        fail(argv[2], "cannot open it");
    const size_t size = size_t(info.st_size);
    void* data = size ? mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (data == MAP_FAILED)
        fail(argv[2], "cannot map it (empty?)");
    madvise(data, size, MADV_SEQUENTIAL);

    Database db(argv[1]);
    Handler handler(db);
    rapidjson::MemoryStream stream(static_cast<const char*>(data), size);
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
    if (!result) {
        std::fprintf(stderr, "lundi-bench-plain-import: %s: %s at byte %zu\n", argv[2],
                     rapidjson::GetParseError_En(result.Code()), result.Offset());
        return 1;
    }
    db.exec("COMMIT");
    std::printf("%lld X events\n", handler.events());
    munmap(data, size);
    close(fd);
    return 0;
}
