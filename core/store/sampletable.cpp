#include "sampletable.h"
#include "sampleblock.h"

#include <sqlite3.h>

#include <algorithm>
#include <new>

namespace lundi::SampleTable {

namespace {

struct Table : sqlite3_vtab
{
    sqlite3* db = nullptr;
};

struct Cursor : sqlite3_vtab_cursor
{
    sqlite3_stmt* blocks = nullptr;
    SeriesId series = 0;
    std::vector<Sample> samples; // the current block's
    size_t next = 0;
    sqlite3_int64 rowid = 0;
    bool eof = true;
};

constexpr int BySeries = 1; // xBestIndex's plan: series_id = ? given

int fail(sqlite3_vtab* table, const char* message)
{
    sqlite3_free(table->zErrMsg);
    table->zErrMsg = sqlite3_mprintf("%s", message);
    return SQLITE_ERROR;
}

int connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**)
{
    const int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(series_id INTEGER, t_ns INTEGER, value REAL)");
    if (rc != SQLITE_OK)
        return rc;
    auto* table = new (std::nothrow) Table{};
    if (!table)
        return SQLITE_NOMEM;
    table->db = db;
    *out = table;
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table)
{
    delete static_cast<Table*>(table);
    return SQLITE_OK;
}

int bestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto& constraint = info->aConstraint[i];
        if (constraint.usable && constraint.iColumn == 0 && constraint.op == SQLITE_INDEX_CONSTRAINT_EQ) {
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->idxNum = BySeries;
            info->estimatedCost = 1e4;
            info->estimatedRows = 10'000;
            return SQLITE_OK;
        }
    }
    info->idxNum = 0;
    info->estimatedCost = 1e9;
    info->estimatedRows = 100'000'000;
    return SQLITE_OK;
}

int open(sqlite3_vtab*, sqlite3_vtab_cursor** out)
{
    auto* cursor = new (std::nothrow) Cursor{};
    if (!cursor)
        return SQLITE_NOMEM;
    *out = cursor;
    return SQLITE_OK;
}

int close(sqlite3_vtab_cursor* base)
{
    auto* cursor = static_cast<Cursor*>(base);
    sqlite3_finalize(cursor->blocks);
    delete cursor;
    return SQLITE_OK;
}

// Moves to the next sample, decoding the next block when the current one is done.
int next(sqlite3_vtab_cursor* base)
{
    auto* cursor = static_cast<Cursor*>(base);
    ++cursor->rowid;
    if (++cursor->next < cursor->samples.size())
        return SQLITE_OK;
    cursor->samples.clear();
    cursor->next = 0;
    while (cursor->samples.empty()) {
        const int rc = sqlite3_step(cursor->blocks);
        if (rc == SQLITE_DONE) {
            cursor->eof = true;
            return SQLITE_OK;
        }
        if (rc != SQLITE_ROW)
            return fail(base->pVtab, sqlite3_errmsg(static_cast<Table*>(base->pVtab)->db));
        cursor->series = sqlite3_column_int64(cursor->blocks, 0);
        const auto bytes = [&](int column) {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(cursor->blocks, column));
            return std::string_view(data ? data : "", size_t(sqlite3_column_bytes(cursor->blocks, column)));
        };
        try {
            if (!SampleBlock::unpack(bytes(2), bytes(3), sqlite3_column_int64(cursor->blocks, 1), 0,
                                     cursor->samples))
                return fail(base->pVtab, "a block of samples in sample_blocks is damaged");
        } catch (const std::bad_alloc&) {
            return SQLITE_NOMEM;
        }
    }
    return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor* base, int plan, const char*, int, sqlite3_value** argv)
{
    auto* cursor = static_cast<Cursor*>(base);
    sqlite3* db = static_cast<Table*>(base->pVtab)->db;
    sqlite3_finalize(cursor->blocks);
    cursor->blocks = nullptr;
    const char* sql = plan == BySeries ? "SELECT series_id, count, times, \"values\" FROM sample_blocks"
                                         " WHERE series_id = ?1 ORDER BY rowid"
                                       : "SELECT series_id, count, times, \"values\" FROM sample_blocks"
                                         " ORDER BY series_id, rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &cursor->blocks, nullptr) != SQLITE_OK)
        return fail(base->pVtab, sqlite3_errmsg(db));
    if (plan == BySeries)
        sqlite3_bind_value(cursor->blocks, 1, argv[0]);
    cursor->samples.clear();
    cursor->next = 0;
    cursor->rowid = 0;
    cursor->eof = false;
    return next(base);
}

int eof(sqlite3_vtab_cursor* base)
{
    return static_cast<Cursor*>(base)->eof;
}

int column(sqlite3_vtab_cursor* base, sqlite3_context* context, int index)
{
    const auto* cursor = static_cast<Cursor*>(base);
    const Sample& sample = cursor->samples[cursor->next];
    switch (index) {
    case 0:
        sqlite3_result_int64(context, cursor->series);
        break;
    case 1:
        sqlite3_result_int64(context, sample.timeNs);
        break;
    default:
        sqlite3_result_double(context, sample.value);
        break;
    }
    return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* base, sqlite3_int64* out)
{
    *out = static_cast<Cursor*>(base)->rowid;
    return SQLITE_OK;
}

// No xCreate: eponymous only, so that no CREATE VIRTUAL TABLE can make one into a file.
sqlite3_module module()
{
    sqlite3_module module{};
    module.xConnect = connect;
    module.xBestIndex = bestIndex;
    module.xDisconnect = disconnect;
    module.xDestroy = disconnect;
    module.xOpen = open;
    module.xClose = close;
    module.xFilter = filter;
    module.xNext = next;
    module.xEof = eof;
    module.xColumn = column;
    module.xRowid = rowid;
    return module;
}

const sqlite3_module Module = module();

// The rows one aggregate call packs; (time, order) sorts them.
struct PackRow
{
    qint64 timeNs;
    qint64 order;
    double value;
};

enum class Part { Times, Values };
constexpr Part Times = Part::Times;
constexpr Part Values = Part::Values;

void packStep(sqlite3_context* context, int, sqlite3_value** argv)
{
    auto** rows = static_cast<std::vector<PackRow>**>(sqlite3_aggregate_context(context, sizeof(void*)));
    if (!rows)
        return sqlite3_result_error_nomem(context);
    try {
        if (!*rows)
            *rows = new std::vector<PackRow>;
        (*rows)->push_back(
            {sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]), sqlite3_value_double(argv[2])});
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(context);
    }
}

void packFinal(sqlite3_context* context)
{
    auto** rows = static_cast<std::vector<PackRow>**>(sqlite3_aggregate_context(context, 0));
    std::vector<PackRow>* packed = rows ? *rows : nullptr;
    try {
        std::vector<Sample> samples;
        if (packed) {
            std::sort(packed->begin(), packed->end(), [](const PackRow& a, const PackRow& b) {
                return a.timeNs != b.timeNs ? a.timeNs < b.timeNs : a.order < b.order;
            });
            samples.reserve(packed->size());
            for (const PackRow& row : *packed)
                samples.push_back({row.timeNs, row.value});
        }
        std::string times;
        std::string values;
        SampleBlock::pack(samples, times, values);
        const std::string& part =
            *static_cast<const Part*>(sqlite3_user_data(context)) == Part::Times ? times : values;
        sqlite3_result_blob64(context, part.data(), part.size(), SQLITE_TRANSIENT);
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(context);
    }
    delete packed;
}

} // namespace

int install(sqlite3* db)
{
    int rc = sqlite3_create_module_v2(db, "samples", &Module, nullptr, nullptr);
    for (const auto& [name, part] :
         {std::pair{"lundi_pack_times", &Times}, std::pair{"lundi_pack_values", &Values}}) {
        if (rc == SQLITE_OK)
            rc = sqlite3_create_function_v2(db, name, 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                            const_cast<Part*>(part), nullptr, packStep, packFinal, nullptr);
    }
    return rc;
}

} // namespace lundi::SampleTable
