#include "queryresult.h"

#include <QLocale>
#include <QTextStream>

namespace lundi {

QString QueryResult::cellText(const QVariant& cell)
{
    switch (cell.typeId()) {
    case QMetaType::UnknownType:
        return {};
    case QMetaType::QByteArray:
        return QStringLiteral("<%1 bytes>").arg(cell.toByteArray().size());
    case QMetaType::Double:
        return QString::number(cell.toDouble(), 'g', QLocale::FloatingPointShortest);
    default:
        return cell.toString();
    }
}

QString QueryResult::csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

namespace {

template <typename Cells, typename Text>
void writeLine(QTextStream& out, const Cells& cells, const Text& text)
{
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i)
            out << ',';
        out << QueryResult::csvField(text(cells[i]));
    }
    out << "\r\n";
}

} // namespace

void QueryResult::writeCsvLine(QTextStream& out, const QStringList& columns)
{
    writeLine(out, columns, [](const QString& name) { return name; });
}

void QueryResult::writeCsvLine(QTextStream& out, const QVariantList& row)
{
    writeLine(out, row, cellText);
}

} // namespace lundi
