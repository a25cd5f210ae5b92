#pragma once

// lundi-cli run as a real process, for the tests of its commands.

#include <QByteArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStringList>
#include <QtDebug>

namespace lundi::test {

struct CliRun
{
    int status = -1; // -1: it crashed or did not finish
    QByteArray out;
    QByteArray err;
};

inline CliRun cli(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(LUNDI_CLI), arguments);
    process.waitForFinished(120'000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

inline QJsonDocument parseJson(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << error.errorString() << json.left(400);
    return document;
}

} // namespace lundi::test
