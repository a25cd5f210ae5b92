#include "ingest/importer.h"
#include "plugins/importfixture.h"
#include "timeformat.h"

#include <QDateTime>
#include <QRegularExpression>

#include <map>

using namespace lundi;
using namespace test;

namespace {

// 2024-05-01T12:00:00Z, the --at of undated dumps here.
constexpr qint64 AtNs = 1'714'564'800'000'000'000;

ImportOptions at(qint64 ns)
{
    ImportOptions options;
    options.atNs = ns;
    return options;
}

enum class Units { Shown, Left };

// Every series as its name, labels and unit, then its samples as "time value", one a line.
QString renderSeries(const Store& store, Units units = Units::Shown)
{
    QStringList lines;
    for (const Series& series : store.series()) {
        QString line = series.name + QLatin1Char(' ') + QString::fromUtf8(series.labelsJson);
        if (!series.unit.isEmpty() && units == Units::Shown)
            line += QLatin1Char(' ') + series.unit;
        lines.append(line);
        for (const Sample& sample : store.samples(series.id))
            lines.append(QStringLiteral("  %1 %2").arg(TimeFormat::utc(sample.timeNs)).arg(sample.value));
    }
    return lines.join(QLatin1Char('\n'));
}

// Each expected piece is in one warning, and there are no other warnings.
void verifyWarnings(const ImportSummary& summary, const QStringList& expected)
{
    const QString all = summary.warnings.join(QLatin1Char('\n'));
    QVERIFY2(summary.warnings.size() == expected.size(), qPrintable(all));
    for (const QString& piece : expected)
        QVERIFY2(anyWarningContains(summary, piece.toUtf8().constData()),
                 qPrintable(piece + QStringLiteral(" in:\n") + all));
}

const QString Zoneless = QStringLiteral("read as UTC");
const QString Undated =
    QStringLiteral("dated from 2024-05-01T12:00:00.000Z (from --at), one round of rows every 1.000 s");

// The series and samples of a file, worked out without the importer: which columns are no
// measurement (nvidia-smi's identities and versions) is written down here once more, and a
// number is what a regular expression says it is.
struct Expected
{
    qint64 samples = 0;
    std::map<QString, double> sums; // per column name: the sum of its numbers
};

const QRegularExpression Number(QStringLiteral("^-?\\d+(\\.\\d+)?( [A-Za-z%/]+)?$"));

bool isMeasurement(const QString& column)
{
    static const QStringList NotMeasured{QStringLiteral("timestamp"),
                                         QStringLiteral("index"),
                                         QStringLiteral("uuid"),
                                         QStringLiteral("name"),
                                         QStringLiteral("serial"),
                                         QStringLiteral("driver_version"),
                                         QStringLiteral("kmd_version"),
                                         QStringLiteral("vbios_version"),
                                         QStringLiteral("compute_cap"),
                                         QStringLiteral("gpu_name"),
                                         QStringLiteral("gpu_bus_id"),
                                         QStringLiteral("gpu_serial"),
                                         QStringLiteral("gpu_uuid"),
                                         QStringLiteral("pid"),
                                         QStringLiteral("process_name"),
                                         QStringLiteral("hostname"),
                                         QStringLiteral("fabric.cliqueId"),
                                         QStringLiteral("fabric.clusterUuid")};
    return !NotMeasured.contains(column) && !column.startsWith(QLatin1String("inforom.")) &&
           !column.startsWith(QLatin1String("platform.")) && !column.startsWith(QLatin1String("pci."));
}

Expected countCsv(const QByteArray& content)
{
    Expected expected;
    QStringList columns;
    for (const QByteArray& line : content.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QStringList cells;
        for (const QByteArray& cell : line.split(','))
            cells.append(QString::fromUtf8(cell.trimmed()));
        if (columns.isEmpty()) {
            for (const QString& cell : cells)
                columns.append(cell.section(QLatin1String(" ["), 0, 0));
            continue;
        }
        for (int i = 0; i < cells.size(); ++i) {
            if (isMeasurement(columns[i]) && Number.match(cells[i]).hasMatch()) {
                ++expected.samples;
                expected.sums[columns[i]] += cells[i].section(QLatin1Char(' '), 0, 0).toDouble();
            }
        }
    }
    return expected;
}

// dmon and pmon: the names after '#' on the first line; columns that name the row are no sample.
Expected countMonitor(const QByteArray& content)
{
    Expected expected;
    QStringList columns;
    for (const QByteArray& line : content.split('\n')) {
        const QStringList cells =
            QString::fromUtf8(line).simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (cells.isEmpty())
            continue;
        if (cells[0] == QLatin1String("#")) {
            if (columns.isEmpty())
                columns = cells.mid(1);
            continue;
        }
        for (int i = 0; i < columns.size(); ++i) {
            static const QStringList Naming{QStringLiteral("gpu"), QStringLiteral("pid"),
                                            QStringLiteral("type"), QStringLiteral("command")};
            if (!Naming.contains(columns[i]) && Number.match(cells[i]).hasMatch()) {
                ++expected.samples;
                expected.sums[columns[i]] += cells[i].toDouble();
            }
        }
    }
    return expected;
}

std::map<QString, double> sumsByName(const Store& store)
{
    std::map<QString, double> sums;
    for (const Series& series : store.series()) {
        for (const Sample& sample : store.samples(series.id))
            sums[series.name] += sample.value;
    }
    return sums;
}

// The cells of a CSV line, trimmed (nvidia-smi's cells hold no commas of their own).
QStringList cellsOf(const QByteArray& line)
{
    QStringList cells;
    for (const QByteArray& cell : line.split(','))
        cells.append(QString::fromUtf8(cell.trimmed()));
    return cells;
}

// The file as --format=csv,nounits writes it: the header as it is, numbers in rows without units.
QByteArray withoutUnits(const QByteArray& content)
{
    static const QRegularExpression NumberWithUnit(QStringLiteral("^(-?\\d+(\\.\\d+)?) [A-Za-z%/]+$"));
    QList<QByteArray> lines = content.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QStringList cells = cellsOf(lines[i]);
        for (QString& cell : cells)
            cell.replace(NumberWithUnit, QStringLiteral("\\1"));
        lines[i] = cells.join(QStringLiteral(", ")).toUtf8();
    }
    return lines.join('\n');
}

} // namespace

class TestGpuCsvImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void dialects_data();
    void dialects();
    void numbersAreExact();
    void epochNanosecondsAreExact();
    void undatedRowsTakeTheFileTime();
    void headerlessWithColumns_data();
    void headerlessWithColumns();
    void columnList_data();
    void columnList();
    void detection_data();
    void detection();
    void corpus_data();
    void corpus();
    void corpusCounts_data();
    void corpusCounts();
    void badInput_data();
    void badInput();
    void tooManyGpusAreCounted();
    void cutOrDamagedAnywhere_data();
    void cutOrDamagedAnywhere();
};

void TestGpuCsvImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(fixture.registry().byFormat(QStringLiteral("gpu-csv")),
             qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestGpuCsvImporter::dialects_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("warnings");

    QTest::newRow("query-gpu: units in header and values, two GPUs, N/A and friends")
        << QStringLiteral("gpu.csv")
        << QByteArray(
               "timestamp, index, uuid, name, utilization.gpu [%], memory.used [MiB], power.draw [W], "
               "fan.speed [%]\n"
               "2024/05/01 12:00:00.123, 0, GPU-aaaa, NVIDIA H100 80GB HBM3, 35 %, 1024 MiB, 250.00 W, "
               "[N/A]\n"
               "2024/05/01 12:00:00.125, 1, GPU-bbbb, NVIDIA H100 80GB HBM3, 80 %, 2048 MiB, 600.50 W, "
               "[Not Supported]\n"
               "2024/05/01 12:00:01.123, 0, GPU-aaaa, NVIDIA H100 80GB HBM3, 36 %, 1030 MiB, 251.25 W, "
               "[Unknown Error]\n")
        << QStringLiteral(R"(utilization.gpu {"gpu":"0","uuid":"GPU-aaaa","name":"NVIDIA H100 80GB HBM3"} %
  2024-05-01T12:00:00.123Z 35
  2024-05-01T12:00:01.123Z 36
memory.used {"gpu":"0","uuid":"GPU-aaaa","name":"NVIDIA H100 80GB HBM3"} MiB
  2024-05-01T12:00:00.123Z 1024
  2024-05-01T12:00:01.123Z 1030
power.draw {"gpu":"0","uuid":"GPU-aaaa","name":"NVIDIA H100 80GB HBM3"} W
  2024-05-01T12:00:00.123Z 250
  2024-05-01T12:00:01.123Z 251.25
utilization.gpu {"gpu":"1","uuid":"GPU-bbbb","name":"NVIDIA H100 80GB HBM3"} %
  2024-05-01T12:00:00.125Z 80
memory.used {"gpu":"1","uuid":"GPU-bbbb","name":"NVIDIA H100 80GB HBM3"} MiB
  2024-05-01T12:00:00.125Z 2048
power.draw {"gpu":"1","uuid":"GPU-bbbb","name":"NVIDIA H100 80GB HBM3"} W
  2024-05-01T12:00:00.125Z 600.5)")
        << QStringList{Zoneless, QStringLiteral("3 values were not available and skipped: 1 \"[N/A]\", "
                                                "1 \"[Not Supported]\", 1 \"[Unknown Error]\".")};
    QTest::newRow("nounits: the unit from the header")
        << QStringLiteral("gpu.csv")
        << QByteArray("timestamp, index, utilization.gpu [%], memory.used [MiB]\n"
                      "2024/05/01 12:00:00.000, 0, 35, 1024\n")
        << QStringLiteral(R"(utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 35
memory.used {"gpu":"0"} MiB
  2024-05-01T12:00:00.000Z 1024)")
        << QStringList{Zoneless};
    QTest::newRow("no timestamp column, units only in values: rounds from --at")
        << QStringLiteral("gpu.csv")
        << QByteArray(
               "index, power.draw, temperature.gpu\n0, 250.00 W, 45\n1, 300.00 W, 50\n0, 251.00 W, 46\n"
               "1, 301.00 W, 51\n")
        << QStringLiteral(R"(power.draw {"gpu":"0"} W
  2024-05-01T12:00:00.000Z 250
  2024-05-01T12:00:01.000Z 251
temperature.gpu {"gpu":"0"} °C
  2024-05-01T12:00:00.000Z 45
  2024-05-01T12:00:01.000Z 46
power.draw {"gpu":"1"} W
  2024-05-01T12:00:00.000Z 300
  2024-05-01T12:00:01.000Z 301
temperature.gpu {"gpu":"1"} °C
  2024-05-01T12:00:00.000Z 50
  2024-05-01T12:00:01.000Z 51)")
        << QStringList{Undated +
                       QStringLiteral(" (assumed: the file does not say how often nvidia-smi was asked).")};
    QTest::newRow("query-compute-apps: samples per process")
        << QStringLiteral("apps.csv")
        << QByteArray(
               "timestamp, gpu_name, gpu_bus_id, gpu_serial, gpu_uuid, pid, process_name, "
               "used_gpu_memory [MiB]\n"
               "2024/05/01 12:00:00.500, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 1650123456789, GPU-aaaa, "
               "4242, python3 -m vllm, 70000 MiB\n"
               "2024/05/01 12:00:00.500, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 1650123456789, GPU-aaaa, "
               "4343, [N/A], [N/A]\n")
        << QStringLiteral(
               R"(used_gpu_memory {"name":"NVIDIA H100 80GB HBM3","pci.bus_id":"00000000:18:00.0","uuid":"GPU-aaaa","pid":"4242","process":"python3 -m vllm"} MiB
  2024-05-01T12:00:00.500Z 70000)")
        << QStringList{Zoneless, QStringLiteral("1 value was not available and skipped: 1 \"[N/A]\".")};
    QTest::newRow("query-accounted-apps: a second time column is a duration")
        << QStringLiteral("accounted.csv")
        << QByteArray("timestamp, gpu_name, gpu_bus_id, gpu_serial, gpu_uuid, pid, gpu_utilization [%], "
                      "mem_utilization [%], max_memory_usage [MiB], time [ms]\n"
                      "2024/05/01 12:00:00.000, H100, 00000000:18:00.0, 1, GPU-a, 77, 50 %, 10 %, 1024 MiB, "
                      "15000 ms\n")
        << QStringLiteral(
               R"(gpu_utilization {"name":"H100","pci.bus_id":"00000000:18:00.0","uuid":"GPU-a","pid":"77"} %
  2024-05-01T12:00:00.000Z 50
mem_utilization {"name":"H100","pci.bus_id":"00000000:18:00.0","uuid":"GPU-a","pid":"77"} %
  2024-05-01T12:00:00.000Z 10
max_memory_usage {"name":"H100","pci.bus_id":"00000000:18:00.0","uuid":"GPU-a","pid":"77"} MiB
  2024-05-01T12:00:00.000Z 1024
time {"name":"H100","pci.bus_id":"00000000:18:00.0","uuid":"GPU-a","pid":"77"} ms
  2024-05-01T12:00:00.000Z 15000)")
        << QStringList{Zoneless};
    QTest::newRow("dmon: rounds of GPUs, '-' for no value, the header again")
        << QStringLiteral("dmon.txt")
        << QByteArray("# gpu    pwr  gtemp  mtemp     sm\n"
                      "# Idx      W      C      C      %\n"
                      "    0     63     35      -      0\n"
                      "    1     70     40      -     50\n"
                      "    0     64     36      -      1\n"
                      "# gpu    pwr  gtemp  mtemp     sm\n"
                      "# Idx      W      C      C      %\n"
                      "    1     71     41      -     55\n")
        << QStringLiteral(R"(power.draw {"gpu":"0"} W
  2024-05-01T12:00:00.000Z 63
  2024-05-01T12:00:01.000Z 64
temperature.gpu {"gpu":"0"} °C
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.000Z 36
utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 0
  2024-05-01T12:00:01.000Z 1
power.draw {"gpu":"1"} W
  2024-05-01T12:00:00.000Z 70
  2024-05-01T12:00:01.000Z 71
temperature.gpu {"gpu":"1"} °C
  2024-05-01T12:00:00.000Z 40
  2024-05-01T12:00:01.000Z 41
utilization.gpu {"gpu":"1"} %
  2024-05-01T12:00:00.000Z 50
  2024-05-01T12:00:01.000Z 55)")
        << QStringList{Undated + QStringLiteral(" (nvidia-smi's default interval"),
                       QStringLiteral("4 values were not available and skipped: 4 \"-\".")};
    QTest::newRow("dmon -o DT: date and time columns")
        << QStringLiteral("dmon.txt")
        << QByteArray("#Date       Time        gpu    pwr     sm\n"
                      "#YYYYMMDD   HH:MM:SS    Idx      W      %\n"
                      " 20240501   12:00:00      0     63      0\n"
                      " 20240501   12:00:01      0     64     10\n")
        << QStringLiteral(R"(power.draw {"gpu":"0"} W
  2024-05-01T12:00:00.000Z 63
  2024-05-01T12:00:01.000Z 64
utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 0
  2024-05-01T12:00:01.000Z 10)")
        << QStringList{Zoneless};
    QTest::newRow("dmon -o T: times of day on the day of --at, past midnight")
        << QStringLiteral("dmon.txt")
        << QByteArray("#Time        gpu    pwr\n"
                      "#HH:MM:SS    Idx      W\n"
                      " 12:00:05      0     63\n"
                      " 23:59:59      0     64\n"
                      " 00:00:01      0     65\n")
        << QStringLiteral(R"(power.draw {"gpu":"0"} W
  2024-05-01T12:00:05.000Z 63
  2024-05-01T23:59:59.000Z 64
  2024-05-02T00:00:01.000Z 65)")
        << QStringList{Zoneless, QStringLiteral("times of day but no date; they were placed on the day of "
                                                "2024-05-01T12:00:00.000Z (from --at).")};
    QTest::newRow("pmon: per process, idle GPUs, a command with spaces")
        << QStringLiteral("pmon.txt")
        << QByteArray("# gpu         pid   type     sm    mem    enc    dec    command\n"
                      "# Idx           #    C/G      %      %      %      %    name\n"
                      "    0       4242     C     99     10      -      -    python3 serve.py\n"
                      "    1          -     -      -      -      -      -    -\n"
                      "    0       4242     C     97      9      -      -    python3 serve.py   \n")
        << QStringLiteral(
               R"(gpu_utilization {"gpu":"0","pid":"4242","type":"C","process":"python3 serve.py"} %
  2024-05-01T12:00:00.000Z 99
  2024-05-01T12:00:01.000Z 97
mem_utilization {"gpu":"0","pid":"4242","type":"C","process":"python3 serve.py"} %
  2024-05-01T12:00:00.000Z 10
  2024-05-01T12:00:01.000Z 9)")
        << QStringList{Undated, QStringLiteral("8 values were not available and skipped: 8 \"-\".")};
    QTest::newRow("dcgmi dmon: entities, N/A, field names")
        << QStringLiteral("dcgm.txt")
        << QByteArray("#Entity   GPUTL  POWER   SMACT\n"
                      "ID\n"
                      "GPU 0     35     250.5   0.412\n"
                      "GPU 1     N/A    300.0   N/A\n"
                      "GPU 0     36     251.0   0.420\n")
        << QStringLiteral(R"(utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.000Z 36
power.draw {"gpu":"0"} W
  2024-05-01T12:00:00.000Z 250.5
  2024-05-01T12:00:01.000Z 251
dcgm.SMACT {"gpu":"0"}
  2024-05-01T12:00:00.000Z 0.412
  2024-05-01T12:00:01.000Z 0.42
power.draw {"gpu":"1"} W
  2024-05-01T12:00:00.000Z 300)")
        << QStringList{Undated + QStringLiteral(" (dcgmi dmon's default delay"),
                       QStringLiteral("2 values were not available and skipped: 2 \"N/A\".")};
    QTest::newRow("generic CSV: epoch seconds, a gpu column, a unit in parentheses")
        << QStringLiteral("metrics.csv")
        << QByteArray("time,gpu,util,power (W)\n1714564800,0,35,250.5\n1714564801.5,0,36,251\n")
        << QStringLiteral(R"(util {"gpu":"0"}
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.500Z 36
power {"gpu":"0"} W
  2024-05-01T12:00:00.000Z 250.5
  2024-05-01T12:00:01.500Z 251)")
        << QStringList{QStringLiteral("The times of column \"time\" were read as seconds since 1970")};
    QTest::newRow("generic CSV: epoch milliseconds")
        << QStringLiteral("metrics.csv") << QByteArray("timestamp,value\n1714564800123,1\n")
        << QStringLiteral("value {}\n  2024-05-01T12:00:00.123Z 1")
        << QStringList{QStringLiteral("read as milliseconds since 1970")};
    QTest::newRow("generic CSV: epoch nanoseconds")
        << QStringLiteral("metrics.csv") << QByteArray("ts,value\n1714564800123456789,1\n")
        << QStringLiteral("value {}\n  2024-05-01T12:00:00.123Z 1")
        << QStringList{QStringLiteral("read as nanoseconds since 1970")};
    QTest::newRow("generic CSV: the unit at the end of the time column's name decides")
        << QStringLiteral("metrics.csv") << QByteArray("time_us,value\n1714564800,1\n")
        << QStringLiteral("value {}\n  1970-01-01T00:28:34.564Z 1") << QStringList();
    QTest::newRow("generic CSV: ts_ms")
        << QStringLiteral("metrics.csv") << QByteArray("ts_ms,value\n1714564800123,1\n")
        << QStringLiteral("value {}\n  2024-05-01T12:00:00.123Z 1") << QStringList();
    QTest::newRow("generic CSV: a unit in the time header decides")
        << QStringLiteral("metrics.csv") << QByteArray("time [ms],value\n1714564800,1\n")
        << QStringLiteral("value {}\n  1970-01-20T20:16:04.800Z 1") << QStringList();
    QTest::newRow("generic CSV: ISO 8601 with zones, quoted cells")
        << QStringLiteral("metrics.csv")
        << QByteArray("\"timestamp\",\"host\",\"gpu\",\"temp (C)\"\n"
                      "\"2024-05-01T14:00:00+02:00\",\"node \"\"one\"\"\",\"0\",\"45.5\"\n"
                      "\"2024-05-01T12:00:01Z\",\"node \"\"one\"\"\",\"0\",\"46\"\n")
        << QStringLiteral(R"(temp {"host":"node \"one\"","gpu":"0"} C
  2024-05-01T12:00:00.000Z 45.5
  2024-05-01T12:00:01.000Z 46)")
        << QStringList();
    QTest::newRow("generic CSV: NaN and infinities as numpy and pandas write them")
        << QStringLiteral("metrics.csv")
        << QByteArray("time,util\n1714564800,nan\n1714564801,inf\n1714564802,-Infinity\n1714564803,NaN\n"
                      "1714564804,+inf\n1714564805,35\n")
        << QStringLiteral("util {}\n  2024-05-01T12:00:00.000Z nan\n  2024-05-01T12:00:01.000Z inf\n"
                          "  2024-05-01T12:00:02.000Z -inf\n  2024-05-01T12:00:03.000Z nan\n"
                          "  2024-05-01T12:00:04.000Z inf\n  2024-05-01T12:00:05.000Z 35")
        << QStringList{QStringLiteral("read as seconds since 1970")};
    QTest::newRow("byte-order mark, CRLF, the header repeated by a second run")
        << QStringLiteral("gpu.csv")
        << QByteArray(
               "\xEF\xBB\xBFtimestamp, index, utilization.gpu [%]\r\n2024/05/01 12:00:00.000, 0, 35 %\r\n"
               "timestamp, index, utilization.gpu [%]\r\n2024/05/01 12:00:01.000, 0, 36 %\r\n")
        << QStringLiteral(R"(utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.000Z 36)")
        << QStringList{Zoneless};
    QTest::newRow("ragged rows and text in a numeric column are counted")
        << QStringLiteral("metrics.csv")
        << QByteArray("time,util\n1714564800,35\n1714564801,36,extra\n1714564802,busy\n1714564803,37\n")
        << QStringLiteral("util {}\n  2024-05-01T12:00:00.000Z 35\n  2024-05-01T12:00:03.000Z 37")
        << QStringList{
               QStringLiteral("read as seconds since 1970"),
               QStringLiteral("In numeric columns, 1 cell was skipped as holding no number (first at line 4, "
                              "column \"util\": \"busy\")."),
               QStringLiteral("1 line was skipped (the number of cells differs from the header's; first at "
                              "line 3).")};
}

void TestGpuCsvImporter::dialects()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(QStringList, warnings);
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(name, input, at(AtNs));
    QCOMPARE(summary.format, QStringLiteral("gpu-csv"));
    QCOMPARE(renderSeries(fixture.store()), expected);
    verifyWarnings(summary, warnings);
}

// Every number reads as the double strtod makes of it, whichever way the importer takes.
void TestGpuCsvImporter::numbersAreExact()
{
    const QList<QByteArray> numbers{"0.1",
                                    "-1.5",
                                    "250.00",
                                    "0.30000000000000004",
                                    "123456789012345",
                                    "1234567890123456789",
                                    "1e3",
                                    "+7",
                                    "6.02214076e23",
                                    ".5",
                                    "-0.000001",
                                    "99.99",
                                    "4.94e-320"};
    QByteArray content("time");
    for (int i = 0; i < numbers.size(); ++i)
        content.append(",c").append(QByteArray::number(i));
    content.append("\n1714564800");
    for (const QByteArray& number : numbers)
        content.append(',').append(number);
    content.append('\n');
    Fixture fixture;
    fixture.importAs(QStringLiteral("numbers.csv"), content);
    const Store store = fixture.store();
    const QList<Series> series = store.series();
    QCOMPARE(series.size(), numbers.size());
    for (int i = 0; i < numbers.size(); ++i) {
        QCOMPARE(series[i].name, QStringLiteral("c%1").arg(i));
        const double value = store.samples(series[i].id).front().value;
        QVERIFY2(value == numbers[i].toDouble(), numbers[i].constData());
    }
}

void TestGpuCsvImporter::epochNanosecondsAreExact()
{
    Fixture fixture;
    fixture.importAs(QStringLiteral("m.csv"), "ts,value\n1714564800123456789,1\n-1.5,2\n");
    const Store store = fixture.store();
    const auto samples = store.samples(store.series().front().id);
    QCOMPARE(samples.size(), size_t(2));
    // The unit is the column's, decided by its first time: nanoseconds here, also for "-1.5".
    QCOMPARE(samples[0].timeNs, Q_INT64_C(-1));
    QCOMPARE(samples[1].timeNs, Q_INT64_C(1714564800123456789));
}

void TestGpuCsvImporter::undatedRowsTakeTheFileTime()
{
    Fixture fixture;
    const QString path = fixture.write("# gpu pwr\n# Idx W\n 0 63\n 0 64\n", QStringLiteral("dmon.txt"));
    const QDateTime modified = QDateTime::fromMSecsSinceEpoch(1'600'000'000'250, Qt::UTC);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(modified, QFileDevice::FileModificationTime));
    }
    const ImportSummary summary = fixture.import(path);
    QCOMPARE(renderSeries(fixture.store()), QStringLiteral("power.draw {\"gpu\":\"0\"} W\n"
                                                           "  2020-09-13T12:26:40.250Z 63\n"
                                                           "  2020-09-13T12:26:41.250Z 64"));
    verifyWarnings(summary, {QStringLiteral("The dump has no timestamps; its samples are dated from "
                                            "2020-09-13T12:26:40.250Z (from the file's modification time)")});
}

void TestGpuCsvImporter::headerlessWithColumns_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("nounits");
    QTest::addColumn<bool>("fieldsOnly"); // the --query-gpu field list, else the header's cells

    const QString h100 = QStringLiteral("nvsmi_query_gpu_h100_load.csv");
    QTest::newRow("H100, units in values") << h100 << false << true;
    QTest::newRow("H100, nounits, the header's cells") << h100 << true << false;
    QTest::newRow("H100, nounits, fields only") << h100 << true << true;
    QTest::newRow("two GPUs by uuid and index")
        << QStringLiteral("nvsmi_query_gpu_two_gpus_testfixture.csv") << false << true;
    QTest::newRow("two GPUs, nounits")
        << QStringLiteral("nvsmi_query_gpu_two_gpus_testfixture.csv") << true << true;
    QTest::newRow("L40S") << QStringLiteral("nvsmi_query_gpu_l40s_idle.csv") << false << true;
    QTest::newRow("H100 MIG, nounits") << QStringLiteral("nvsmi_query_gpu_h100_mig_load.csv") << true << true;
}

// --format=csv,noheader with --columns imports as the same file with its header line does: a
// corpus file without its first line against the whole file, with and without units.
void TestGpuCsvImporter::headerlessWithColumns()
{
    QFETCH(QString, file);
    QFETCH(bool, nounits);
    QFETCH(bool, fieldsOnly);
    QByteArray content = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/") + file);
    QVERIFY(!content.isEmpty());
    if (nounits)
        content = withoutUnits(content);
    const qsizetype headerEnd = content.indexOf('\n');
    QStringList columns = cellsOf(content.left(headerEnd));
    if (fieldsOnly) {
        for (QString& column : columns)
            column = column.section(QStringLiteral(" ["), 0, 0);
    }

    Fixture headed;
    headed.importAs(QStringLiteral("headed.csv"), content, at(AtNs));
    Fixture headerless;
    ImportOptions options = at(AtNs);
    options.columns = columns;
    const ImportSummary summary =
        headerless.importAs(QStringLiteral("noheader.csv"), content.mid(headerEnd + 1), options);
    QCOMPARE(summary.format, QStringLiteral("gpu-csv"));
    QVERIFY(summary.counts.samples > 0);
    QCOMPARE(summary.counts.samples, headed.store().counts().samples);
    // Written with nounits, the units were only in the header, which --query-gpu's fields lack.
    const Units units = nounits && fieldsOnly ? Units::Left : Units::Shown;
    QCOMPARE(renderSeries(headerless.store(), units), renderSeries(headed.store(), units));
    if (units == Units::Left) {
        // Without a header, a unit is one the importer knows of the field (temperature.gpu in
        // °C), or none.
        const QList<Series> headedSeries = headed.store().series();
        const QList<Series> headerlessSeries = headerless.store().series();
        for (qsizetype i = 0; i < headerlessSeries.size(); ++i) {
            const QString& unit = headerlessSeries[i].unit;
            QVERIFY2(unit.isEmpty() || unit == headedSeries[i].unit,
                     qPrintable(headerlessSeries[i].name + QLatin1Char(' ') + unit));
        }
    }
}

void TestGpuCsvImporter::columnList_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("columns");
    QTest::addColumn<QString>("error");    // the refusal's sentence, or empty: it imports
    QTest::addColumn<QString>("expected"); // what it imports, as renderSeries writes it

    const QByteArray rows("2024/05/01 12:00:00.000Z, 0, 35, 1024\n2024/05/01 12:00:01.000Z, 0, 36, 1030\n");
    const QString expected = QStringLiteral(R"(utilization.gpu {"gpu":"0"}
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.000Z 36
memory.used {"gpu":"0"}
  2024-05-01T12:00:00.000Z 1024
  2024-05-01T12:00:01.000Z 1030)");
    QTest::newRow("nounits") << rows << QStringLiteral("timestamp,index,utilization.gpu,memory.used")
                             << QString() << expected;
    QTest::newRow("units given in the list")
        << rows << QStringLiteral("timestamp,index,utilization.gpu [%],memory.used [MiB]") << QString()
        << QStringLiteral(R"(utilization.gpu {"gpu":"0"} %
  2024-05-01T12:00:00.000Z 35
  2024-05-01T12:00:01.000Z 36
memory.used {"gpu":"0"} MiB
  2024-05-01T12:00:00.000Z 1024
  2024-05-01T12:00:01.000Z 1030)");
    QTest::newRow("a generic CSV without header")
        << QByteArray("1714564800,45\n1714564801,46\n") << QStringLiteral("time,temp") << QString()
        << QStringLiteral("temp {}\n  2024-05-01T12:00:00.000Z 45\n  2024-05-01T12:00:01.000Z 46");
    QTest::newRow("a cut last row is skipped, as with a header")
        << rows + "2024/05/01 12:00:02.000Z, 0"
        << QStringLiteral("timestamp,index,utilization.gpu,memory.used") << QString() << expected;
    QTest::newRow("one name too few")
        << rows << QStringLiteral("timestamp,utilization.gpu,memory.used")
        << QStringLiteral("line 1, column 1 (byte 0): This row has 4 cells, but the column list names 3 "
                          "columns")
        << QString();
    QTest::newRow("one name too many, on the first row after blank lines")
        << QByteArray("\n\n") + rows
        << QStringLiteral("timestamp,index,utilization.gpu,memory.used,power.draw")
        << QStringLiteral("line 3, column 1 (byte 2): This row has 4 cells, but the column list names 5")
        << QString();
    QTest::newRow("one column") << QByteArray("35 %\n36 %\n") << QStringLiteral("utilization.gpu")
                                << QStringLiteral("The column list names one column") << QString();
    QTest::newRow("names of nothing known")
        << rows << QStringLiteral("a,b,c,d")
        << QStringLiteral("names neither an nvidia-smi --query-gpu field") << QString();
    QTest::newRow("a file with its header")
        << QByteArray("timestamp, index, utilization.gpu [%]\n2024/05/01 12:00:00.000, 0, 35 %\n")
        << QStringLiteral("timestamp,index,utilization.gpu")
        << QStringLiteral("this is nvidia-smi --query CSV with its own column names: import it without the "
                          "column list")
        << QString();
    QTest::newRow("dmon") << QByteArray("# gpu pwr\n# Idx W\n 0 5\n") << QStringLiteral("gpu,pwr")
                          << QStringLiteral("this is nvidia-smi dmon with its own column names") << QString();
}

void TestGpuCsvImporter::columnList()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, columns);
    QFETCH(QString, error);
    QFETCH(QString, expected);
    Fixture fixture;
    fixture.store();
    const QByteArray before = fileBytes(fixture.dbPath());
    ImportOptions options = at(AtNs);
    options.columns = columns.split(QLatin1Char(','));
    // Rows of bare numbers are no GPU dump to detection (see detection()); the user names it.
    options.format = QStringLiteral("gpu-csv");
    try {
        const ImportSummary summary = fixture.importAs(QStringLiteral("noheader.csv"), content, options);
        QVERIFY2(error.isEmpty(), "expected the import to be refused");
        QCOMPARE(summary.format, QStringLiteral("gpu-csv"));
        QCOMPARE(renderSeries(fixture.store()), expected);
    } catch (const ImportError& caught) {
        QVERIFY2(!error.isEmpty(), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().startsWith(QStringLiteral("noheader.csv: ")),
                 qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
        QCOMPARE(fileBytes(fixture.dbPath()), before);
    }
}

void TestGpuCsvImporter::detection_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("score");

    QTest::newRow("query-gpu") << QByteArray(
                                      "timestamp, name, index, utilization.gpu [%]\n2024/05/01 12:00:00.000, "
                                      "x, 0, 3 %\n")
                               << QStringLiteral("x.log") << 90;
    QTest::newRow("compute-apps") << QByteArray("pid, process_name, used_memory [MiB]\n")
                                  << QStringLiteral("x") << 90;
    QTest::newRow("dmon") << QByteArray("# gpu   pwr gtemp\n# Idx W C\n") << QStringLiteral("x") << 95;
    QTest::newRow("dmon -o DT") << QByteArray("#Date Time gpu sm mem\n") << QStringLiteral("x") << 95;
    QTest::newRow("pmon") << QByteArray("# gpu        pid  type    sm   command\n") << QStringLiteral("x")
                          << 95;
    QTest::newRow("dcgmi dmon") << QByteArray("#Entity   GPUTL\nID\n") << QStringLiteral("x") << 95;
    QTest::newRow("nvidia-smi capture")
        << QByteArray("########\n# capture\n########\n# $ nvidia-smi --version\n") << QStringLiteral("x")
        << 60;
    QTest::newRow("noheader") << QByteArray("2024/05/01 12:00:00.000, NVIDIA H100, 35 %, 1024 MiB\n")
                              << QStringLiteral("x") << 30;
    QTest::newRow("noheader, nounits")
        << QByteArray("2024/05/01 12:00:00.000, 0, 35, 1024\n") << QStringLiteral("x") << 30;
    QTest::newRow("bare numbers") << QByteArray("0, 35, 1024\n") << QStringLiteral("x") << 0;
    QTest::newRow("generic CSV") << QByteArray("time,temp\n1714564800,45\n") << QStringLiteral("x.txt") << 20;
    QTest::newRow("generic CSV by name")
        << QByteArray("time,temp\n1714564800,45\n") << QStringLiteral("x.csv") << 30;
    // Other formats' files are not claimed.
    QTest::newRow("Prometheus") << QByteArray("# HELP up Whether up.\n# TYPE up gauge\nup 1\n")
                                << QStringLiteral("x") << 0;
    QTest::newRow("Prometheus without HELP")
        << QByteArray("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-a\"} 35\n") << QStringLiteral("x") << 0;
    QTest::newRow("OpenMetrics") << QByteArray(
                                        "# TYPE gpu_util gauge\n# UNIT gpu_util percent\ngpu_util 1\n# EOF\n")
                                 << QStringLiteral("x") << 0;
    QTest::newRow("folded") << QByteArray("main;run;gemm(int, float) 12\nmain;idle 3\n")
                            << QStringLiteral("x.folded") << 0;
    QTest::newRow("Chrome trace") << QByteArray(R"({"traceEvents":[{"ph":"X"}]})") << QStringLiteral("x")
                                  << 0;
    QTest::newRow("CSV without time column")
        << QByteArray("name,value\nx,1\n") << QStringLiteral("x.csv") << 0;
    QTest::newRow("time column holding no time")
        << QByteArray("time,value\nsoon,1\n") << QStringLiteral("x.csv") << 0;
    QTest::newRow("empty") << QByteArray() << QStringLiteral("x.csv") << 0;
    QTest::newRow("a header and no row")
        << QByteArray("ts,w") << QStringLiteral("x.csv") << 0; // found by fuzzing
}

void TestGpuCsvImporter::detection()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, name);
    QFETCH(int, score);
    Fixture fixture;
    const Importer* importer = fixture.registry().byFormat(QStringLiteral("gpu-csv"));
    QCOMPARE(importer->detect(std::string_view(head.constData(), size_t(head.size())), name), score);
}

void TestGpuCsvImporter::corpus_data()
{
    QVERIFY(addCorpusRows("gpu-csv/") >= 11);
}

void TestGpuCsvImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    ImportOptions options = at(AtNs);
    options.format = QStringLiteral("gpu-csv");
    importCorpusFile(path, expect, QStringLiteral("gpu-csv"), options);
    // Without --format, too: every file is recognised, or refused by this importer with its reason.
    Fixture fixture;
    try {
        QCOMPARE(fixture.import(path, at(AtNs)).format, QStringLiteral("gpu-csv"));
    } catch (const ImportError& error) {
        QVERIFY2(expect != QLatin1String("ok"), qPrintable(error.sentence()));
        QVERIFY2(error.sentence().contains(QLatin1String("capture of many nvidia-smi commands")) ||
                     error.sentence().contains(QLatin1String("no rows of values")),
                 qPrintable(error.sentence()));
    }
}

void TestGpuCsvImporter::corpusCounts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("minimum");
    // For dmon and pmon, a column whose sum is checked, and the series it becomes.
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("series");
    QTest::newRow("H100 under load, 212 fields")
        << QStringLiteral("nvsmi_query_gpu_h100_load.csv") << 70 << QString() << QString();
    QTest::newRow("H100 with MIG") << QStringLiteral("nvsmi_query_gpu_h100_mig_load.csv") << 60 << QString()
                                   << QString();
    QTest::newRow("L40S, 202 fields")
        << QStringLiteral("nvsmi_query_gpu_l40s_idle.csv") << 70 << QString() << QString();
    QTest::newRow("two GPUs") << QStringLiteral("nvsmi_query_gpu_two_gpus_testfixture.csv") << 4 << QString()
                              << QString();
    QTest::newRow("compute apps") << QStringLiteral("nvsmi_query_compute_apps_h100_load.csv") << 3
                                  << QString() << QString();
    QTest::newRow("dmon") << QStringLiteral("nvsmi_dmon_h100_load.txt") << 55 << QStringLiteral("pwr")
                          << QStringLiteral("power.draw");
    QTest::newRow("pmon") << QStringLiteral("nvsmi_pmon_h100_load.txt") << 10 << QStringLiteral("sm")
                          << QStringLiteral("gpu_utilization");
}

// The samples of real files against a count and sums taken without the importer.
void TestGpuCsvImporter::corpusCounts()
{
    QFETCH(QString, file);
    QFETCH(int, minimum);
    QFETCH(QString, column);
    QFETCH(QString, series);
    const QString path = QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/") + file;
    const QByteArray content = fileBytes(path);
    const Expected expected = column.isEmpty() ? countCsv(content) : countMonitor(content);
    QVERIFY(expected.samples >= minimum);
    Fixture fixture;
    const ImportSummary summary = fixture.import(path, at(AtNs));
    QCOMPARE(summary.counts.samples, expected.samples);
    const std::map<QString, double> sums = sumsByName(fixture.store());
    if (!column.isEmpty()) {
        QVERIFY(expected.sums.at(column) > 0);
        QCOMPARE(sums.at(series), expected.sums.at(column));
        return;
    }
    QCOMPARE(sums.size(), expected.sums.size());
    for (const auto& [name, sum] : expected.sums)
        QCOMPARE(sums.at(name), sum);
}

void TestGpuCsvImporter::badInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");   // the refusal's sentence, or empty: it imports
    QTest::addColumn<QString>("warning"); // for an import, one of its warnings

    QTest::newRow("empty") << QByteArray() << QStringLiteral("This is no GPU dump") << QString();
    QTest::newRow("not a dump") << QByteArray("\x01\x02\x03\x00garbage\n", 12)
                                << QStringLiteral("line 1, column 1 (byte 0): This is no GPU dump")
                                << QString();
    QTest::newRow("noheader") << QByteArray("2024/05/01 12:00:00.000, NVIDIA H100, 35 %, 1024 MiB\n")
                              << QStringLiteral("written with --format=csv,noheader. Name its columns with "
                                                "--columns")
                              << QString();
    QTest::newRow("only a header") << QByteArray("timestamp, index, utilization.gpu [%]\n")
                                   << QStringLiteral(
                                          "line 2, column 1 (byte 38): The file has column names but no rows")
                                   << QString();
    QTest::newRow("cut inside the header")
        << QByteArray("timestamp, index, utiliz")
        << QStringLiteral("line 1, column 25 (byte 24): The file has column names but no rows of values")
        << QString();
    QTest::newRow("cut inside a row")
        << QByteArray(
               "timestamp, index, utilization.gpu [%]\n2024/05/01 12:00:00.000, 0, 35 %\n2024/05/01 12:00")
        << QString()
        << QStringLiteral("1 line was skipped (the number of cells differs from the header's; first at "
                          "line 3).");
    QTest::newRow("no row can be read")
        << QByteArray("time,util\n1714564800\n1714564801,1,2\n")
        << QStringLiteral(
               "line 2, column 1 (byte 10): No row could be read: 2 lines were skipped (the number of cells "
               "differs from the header's).")
        << QString();
    QTest::newRow("times beyond int64 nanoseconds")
        << QByteArray("time,util\n1e300,1\n99999999999999999999999,2\n1714564800,3\n") << QString()
        << QStringLiteral("2 lines were skipped (the time cannot be read; first at line 2: \"1e300\").");
    QTest::newRow("years beyond int64 nanoseconds")
        << QByteArray("timestamp,util\n9999-01-01T00:00:00Z,1\n2024-05-01T00:00:00Z,2\n") << QString()
        << QStringLiteral("1 line was skipped (the time cannot be read; first at line 2: "
                          "\"9999-01-01T00:00:00Z\").");
    QTest::newRow("value beyond a double")
        << QByteArray("time,util\n1714564800,1e400\n1714564801,1e300\n") << QString()
        << QStringLiteral("1 value was skipped as beyond the range of a double.");
    QTest::newRow("quote not closed") << QByteArray("time,name,util\n1714564800,\"abc,1\n1714564801,x,2\n")
                                      << QString() << QStringLiteral("a quoted cell is not closed");
    QByteArray wide("time");
    for (int i = 0; i < 20'000; ++i)
        wide.append(",c").append(QByteArray::number(i));
    wide.append("\n1,2\n");
    QTest::newRow("20000 columns") << wide << QStringLiteral("more than 10000 columns") << QString();
    QByteArray digits("time,util\n1714564800,");
    digits.append(QByteArray(50 << 20, '9')).append("\n1714564801,5\n");
    QTest::newRow("a 50 MB number") << digits << QString() << QStringLiteral("beyond the range of a double");
    QByteArray cells("time,util\n1714564800,");
    cells.append(QByteArray("1,").repeated(25 << 20)).append("\n1714564801,5\n");
    QTest::newRow("a 50 MB row") << cells << QString() << QStringLiteral("number of cells differs");
    QByteArray monitorLine("# gpu pwr\n# Idx W\n 0 ");
    monitorLine.append(QByteArray(50 << 20, 'x')).append("\n 0 5\n");
    QTest::newRow("a 50 MB dmon cell")
        << monitorLine << QString()
        << QStringLiteral("In numeric columns, 1 cell was skipped as holding no number");
    QTest::newRow("dcgmi says something else")
        << QByteArray("#Entity GPUTL\nID\nGPU 0 35\nError: lost the host engine\n") << QString()
        << QStringLiteral(
               "1 line was skipped (neither a header nor a row of values; first at line 4: \"Error: lost the "
               "host engine\").");
    QTest::newRow("dmon without its units line") << QByteArray("# gpu pwr\n 0 1\n") << QString() << QString();
    QTest::newRow("a capture") << QByteArray("####\n# nvidia-smi -q\n####\n")
                               << QStringLiteral("copy the output of one command") << QString();
}

void TestGpuCsvImporter::badInput()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    Fixture fixture;
    fixture.importAs(QStringLiteral("earlier.csv"), "time,util\n1700000000,1\n");
    const QByteArray before = fileBytes(fixture.dbPath());
    ImportOptions options = at(AtNs);
    options.format = QStringLiteral("gpu-csv");
    try {
        const ImportSummary summary = fixture.importAs(QStringLiteral("bad.csv"), content, options);
        QVERIFY2(error.isEmpty(), "expected the import to be refused");
        if (!warning.isEmpty()) {
            QVERIFY2(anyWarningContains(summary, warning.toUtf8().constData()),
                     qPrintable(summary.warnings.join(QLatin1Char('\n'))));
        }
        QCOMPARE(fixture.store().counts().samples, 1 + summary.counts.samples);
    } catch (const ImportError& caught) {
        QVERIFY2(!error.isEmpty(), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().startsWith(QStringLiteral("bad.csv: ")), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
        QCOMPARE(fileBytes(fixture.dbPath()), before);
    }
}

// A file with a new GPU on every row (10M labels, in small): past the cap, rows are counted, not kept.
void TestGpuCsvImporter::tooManyGpusAreCounted()
{
    QByteArray content("time,uuid,util\n");
    constexpr int Rows = 100'000 + 2'345;
    for (int i = 0; i < Rows; ++i)
        content.append("1714564800,GPU-").append(QByteArray::number(i)).append(",1\n");
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("many.csv"), content);
    QCOMPARE(summary.counts.series, 100'000);
    QCOMPARE(summary.counts.samples, 100'000);
    QVERIFY2(anyWarningContains(summary,
                                "2345 lines were skipped (more distinct GPUs or processes than the 100000 "
                                "an import keeps apart; first at line 100002)."),
             qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

void TestGpuCsvImporter::cutOrDamagedAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("query-gpu, 212 fields") << QStringLiteral("nvsmi_query_gpu_h100_load.csv");
    QTest::newRow("two GPUs") << QStringLiteral("nvsmi_query_gpu_two_gpus_testfixture.csv");
    QTest::newRow("dmon") << QStringLiteral("nvsmi_dmon_h100_load.txt");
    QTest::newRow("pmon") << QStringLiteral("nvsmi_pmon_h100_load.txt");
}

// Real files cut at many points and with bytes overwritten: each import either succeeds or is
// refused with a sentence, and a refused one leaves the incident as it was. Never a crash.
void TestGpuCsvImporter::cutOrDamagedAnywhere()
{
    QFETCH(QString, file);
    const QByteArray original = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/") + file);
    QVERIFY(!original.isEmpty());
    int refused = 0;
    int imported = 0;
    ImportOptions options = at(AtNs);
    options.format = QStringLiteral("gpu-csv");
    for (const QByteArray& content : cutAndDamaged(original, 60, ",\n\"# -[0x"))
        importOrRefuse(QStringLiteral("dump.txt"), content, options) ? ++imported : ++refused;
    QVERIFY(refused > 0);
    QVERIFY(imported > 0);
}

QTEST_GUILESS_MAIN(TestGpuCsvImporter)
#include "tst_gpucsvimporter.moc"
