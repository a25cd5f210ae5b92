#pragma once

// What tests read back from an incident that a command or a probe wrote.

#include "store/store.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace lundi::test {

// Every byte of the incident's files: the database, its WAL and its shared memory, where left.
inline QByteArray incidentBytes(const QString& path)
{
    QByteArray bytes;
    for (const QString& file :
         QStringList{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            bytes += f.readAll();
    }
    return bytes;
}

// The first series of that name, or null.
inline const Series* seriesNamed(const QList<Series>& all, const QString& name)
{
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const Series& series) { return series.name == name; });
    return found == all.end() ? nullptr : &*found;
}

} // namespace lundi::test
