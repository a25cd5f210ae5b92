#pragma once

// A stand-in for nvidia-smi, for the tests of GPU sampling on machines without a GPU (this one
// and CI): a shell script that replays the two --query-gpu rows a real nvidia-smi printed on an
// H100 (the "idle" and "load" sections of ../shared/corpus/gpu-csv/nvsmi_capture_h100_full.txt,
// cut to the fields asked), one row per -lms interval, each stamped with the time of printing as
// nvidia-smi stamps its rows (local time without a zone). The capture was taken with units
// ("100 %"), which the importer reads as it reads nounits output.

#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <map>

namespace lundi::test {

inline const QString Capture = QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/nvsmi_capture_h100_full.txt");
inline const QStringList Fields{
    QStringLiteral("timestamp"),  QStringLiteral("index"),           QStringLiteral("uuid"),
    QStringLiteral("name"),       QStringLiteral("utilization.gpu"), QStringLiteral("memory.used"),
    QStringLiteral("power.draw"), QStringLiteral("temperature.gpu"), QStringLiteral("clocks.current.sm")};
// The fields above that measure something; the others name the GPU or date the row.
inline const QStringList Measured = Fields.mid(4);

// One row of the capture, by field name (units in the header cut off).
using Row = std::map<QString, QString>;

// The --query-gpu row under the section titled section.
inline Row captureRow(const QString& section)
{
    QFile file(Capture);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    const QByteArray title = "# " + section.toUtf8();
    for (qsizetype i = 0; i + 4 < lines.size(); ++i) {
        if (!lines[i].startsWith(title))
            continue;
        // The title, the command, a line of '#', the header, the row.
        const QList<QByteArray> header = lines[i + 3].split(',');
        const QList<QByteArray> cells = lines[i + 4].split(',');
        if (header.size() != cells.size())
            return {};
        Row row;
        for (qsizetype c = 0; c < header.size(); ++c)
            row[QString::fromUtf8(header[c].trimmed()).section(QLatin1String(" ["), 0, 0)] =
                QString::fromUtf8(cells[c].trimmed());
        return row;
    }
    return {};
}

// The row's cells after its timestamp, as nvidia-smi prints them for Fields.
inline QString cellsAfterTimestamp(const Row& row)
{
    QStringList cells;
    for (const QString& field : Fields.mid(1))
        cells.append(row.at(field));
    return cells.join(QStringLiteral(", "));
}

// "100 %" -> 100
inline double number(const QString& cell)
{
    return cell.section(QLatin1Char(' '), 0, 0).toDouble();
}

class StandIn
{
  public:
    explicit StandIn(const QTemporaryDir& dir) : m_dir(dir) {}

    QString path() const { return m_dir.filePath(QStringLiteral("nvidia-smi")); }
    QString file(const QString& name) const { return m_dir.filePath(name); }

    // A stand-in that writes down its arguments, TZ and process id, then prints the rows in
    // turn, one every -lms milliseconds, until it is ended (as nvidia-smi -lms does).
    void replay(const QStringList& rows)
    {
        QString script =
            QStringLiteral("#!/bin/sh\n"
                           "printf '%s\\n' \"$@\" > '%1'\n"
                           "printf '%s\\n' \"$TZ\" > '%2'\n"
                           "echo $$ > '%3'\n"
                           "pause=$(awk \"BEGIN { print $4 / 1000 }\")\n")
                .arg(file(QStringLiteral("args")), file(QStringLiteral("tz")), file(QStringLiteral("pid")));
        script += QStringLiteral("while :; do\n");
        // nvidia-smi's own stamp: local time, to the millisecond, without a zone.
        const QString stamp = QStringLiteral("\"$(date '+%Y/%m/%d %H:%M:%S.%3N')\"");
        for (const QString& row : rows)
            script += QStringLiteral("printf '%s, %s\\n' ") + stamp + QStringLiteral(" '") + row +
                      QStringLiteral("'\nsleep \"$pause\"\n");
        script += QStringLiteral("done\n");
        write(script);
    }

    void write(const QString& script)
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(script.toUtf8());
        file.close();
        QVERIFY(
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    }

    QByteArray read(const QString& name) const
    {
        QFile written(file(name));
        return written.open(QIODevice::ReadOnly) ? written.readAll().trimmed() : QByteArray();
    }

  private:
    const QTemporaryDir& m_dir;
};

} // namespace lundi::test
