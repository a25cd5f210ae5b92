#include "importerror.h"

namespace lundi {

ImportError::ImportError(const QString& problem, qint64 offset)
    : std::runtime_error(problem.toStdString()), m_problem(problem), m_offset(offset)
{
}

ImportError::~ImportError() = default;

void ImportError::locate(const QString& fileName, qint64 line, qint64 column)
{
    m_fileName = fileName;
    m_line = line;
    m_column = column;
}

QString ImportError::sentence() const
{
    QString where = m_fileName.isEmpty() ? QStringLiteral("input") : m_fileName;
    if (m_offset >= 0 && m_line > 0)
        where += QStringLiteral(": line %1, column %2 (byte %3)").arg(m_line).arg(m_column).arg(m_offset);
    else if (m_offset >= 0)
        where += QStringLiteral(": byte %1").arg(m_offset);
    QString problem = m_problem;
    if (!problem.endsWith(QLatin1Char('.')))
        problem += QLatin1Char('.');
    return where + QStringLiteral(": ") + problem;
}

} // namespace lundi
