#pragma once

#include <QStringList>
#include <QVariant>

#include <vector>

class QTextStream;

namespace lundi {

// The rows one SQL statement returned, as the console, its CSV export and lundi-cli show them.
// A cell is a null QVariant (NULL), qint64, double, QString or QByteArray (a BLOB).
struct QueryResult
{
    QStringList columns;
    std::vector<QVariantList> rows;
    bool truncated = false; // more rows were there than the cap let through
    qint64 elapsedNs = 0;

    // A cell as plain text: NULL is empty, a BLOB is "<n bytes>", a real its shortest exact form.
    static QString cellText(const QVariant& cell);
    // One CSV field, quoted as RFC 4180 asks where it holds a comma, a quote or a line break.
    static QString csvField(const QString& text);
    // One line of RFC 4180 CSV (CRLF line end): the column names, or a row's cells.
    static void writeCsvLine(QTextStream& out, const QStringList& columns);
    static void writeCsvLine(QTextStream& out, const QVariantList& row);
};

} // namespace lundi
