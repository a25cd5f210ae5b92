// The installed tree as a user gets it: `cmake --install` into a temporary prefix, then the
// installed lundi-cli and lundi run from another folder with no environment that points at the
// build tree (no LD_LIBRARY_PATH, no LUNDI_PLUGIN_PATH), and the desktop files checked.

#include <QDirIterator>
#include <QFile>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Run
{
    int status = -1; // -1: it crashed or did not finish
    QByteArray out;
    QByteArray err;
};

const QString appId = QStringLiteral("org.lundi.Lundi");

} // namespace

class TestInstall : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_prefix.isValid());
        QVERIFY(m_work.isValid());

        m_environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        m_environment.insert(QStringLiteral("HOME"), m_work.filePath(QStringLiteral("home")));
        m_environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        m_environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // The sanitizers' settings of an instrumented build, which point at nothing of the build.
        const QProcessEnvironment parent = QProcessEnvironment::systemEnvironment();
        for (const QString& name : {QStringLiteral("ASAN_OPTIONS"), QStringLiteral("UBSAN_OPTIONS")}) {
            if (parent.contains(name))
                m_environment.insert(name, parent.value(name));
        }

        const Run install =
            run(QStringLiteral(CMAKE_COMMAND), {QStringLiteral("--install"), QStringLiteral(LUNDI_BUILD_DIR),
                                                QStringLiteral("--prefix"), m_prefix.path()});
        QVERIFY2(install.status == 0, install.err.constData());
        m_cli = installed(QStringLiteral(LUNDI_BIN_INSTALL_DIR "/lundi-cli"));
        m_demo = m_work.filePath(QStringLiteral("demo.lundi"));
        const Run demo = run(m_cli, {QStringLiteral("demo"), QStringLiteral("--db"), m_demo});
        QVERIFY2(demo.status == 0, demo.err.constData());

        // The MIME database as the system's trigger makes it: update-mime-database merges the
        // installed type with the system's into one cache (Qt 6.4 would let a second folder's cache
        // override the first's magic). Set before the first QMimeDatabase; nothing of the user's.
        const QDir mime(m_work.filePath(QStringLiteral("xdg/mime/packages")));
        QVERIFY(mime.mkpath(QStringLiteral(".")));
        const QDir system(QStringLiteral("/usr/share/mime/packages"));
        QStringList packages{installed(QStringLiteral(LUNDI_DATA_INSTALL_DIR "/mime/packages/") + appId +
                                       QStringLiteral(".xml"))};
        for (const QString& package : system.entryList({QStringLiteral("*.xml")}, QDir::Files))
            packages.append(system.filePath(package));
        for (const QString& package : packages)
            QVERIFY(QFile::copy(package, mime.filePath(QFileInfo(package).fileName())));
        const Run update =
            run(QStringLiteral("update-mime-database"), {m_work.filePath(QStringLiteral("xdg/mime"))});
        QVERIFY2(update.status == 0, update.err.constData());
        qputenv("XDG_DATA_DIRS", QFile::encodeName(m_work.filePath(QStringLiteral("xdg"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_work.filePath(QStringLiteral("xdg-home"))));
    }

    void installsTheProgramsAndNothingElse()
    {
        QSet<QString> expected{
            QStringLiteral(LUNDI_BIN_INSTALL_DIR "/lundi"),
            QStringLiteral(LUNDI_BIN_INSTALL_DIR "/lundi-cli"),
            QStringLiteral(LUNDI_LIB_INSTALL_DIR "/liblundi_core.so"),
            QStringLiteral(LUNDI_DATA_INSTALL_DIR "/applications/") + appId + QStringLiteral(".desktop"),
            QStringLiteral(LUNDI_DATA_INSTALL_DIR "/metainfo/") + appId + QStringLiteral(".metainfo.xml"),
            QStringLiteral(LUNDI_DATA_INSTALL_DIR "/mime/packages/") + appId + QStringLiteral(".xml"),
            QStringLiteral(LUNDI_DATA_INSTALL_DIR "/icons/hicolor/scalable/apps/") + appId +
                QStringLiteral(".svg")};
        for (const int size : {16, 32, 48, 64, 128, 256})
            expected.insert(QStringLiteral(LUNDI_DATA_INSTALL_DIR "/icons/hicolor/%1x%1/apps/").arg(size) +
                            appId + QStringLiteral(".png"));
        // Every plugin the build made, and Lundi's other shared libraries (lundi_probes, ...).
        const QStringList plugins =
            QDir(QStringLiteral(LUNDI_PLUGIN_DIR)).entryList({QStringLiteral("*.so")}, QDir::Files);
        QVERIFY(plugins.size() >= 6);
        for (const QString& plugin : plugins)
            expected.insert(QStringLiteral(LUNDI_PLUGIN_INSTALL_DIR "/") + plugin);
        const QRegularExpression library(QStringLiteral("^" LUNDI_LIB_INSTALL_DIR "/liblundi_\\w+\\.so$"));

        QStringList unexpected;
        QDirIterator files(m_prefix.path(), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = QDir(m_prefix.path()).relativeFilePath(files.next());
            if (!expected.remove(path) && !library.match(path).hasMatch())
                unexpected.append(path);
        }
        QVERIFY2(unexpected.isEmpty(), qPrintable(QStringLiteral("installed: ") + unexpected.join(u' ')));
        QVERIFY2(expected.isEmpty(), qPrintable(QStringLiteral("missing: ") + expected.values().join(u' ')));
    }

    void librariesResolveInThePrefix()
    {
        // Every library of Lundi's own that the programs and plugins need is the installed one.
        QStringList binaries{m_cli, installed(QStringLiteral(LUNDI_BIN_INSTALL_DIR "/lundi"))};
        QDirIterator plugins(installed(QStringLiteral(LUNDI_PLUGIN_INSTALL_DIR)), {QStringLiteral("*.so")},
                             QDir::Files);
        while (plugins.hasNext())
            binaries.append(plugins.next());
        for (const QString& binary : binaries) {
            const Run ldd = run(QStringLiteral("ldd"), {binary});
            QVERIFY2(ldd.status == 0, ldd.err.constData());
            QVERIFY2(!ldd.out.contains("not found"), ldd.out.constData());
            for (const QByteArray& line : ldd.out.split('\n')) {
                // "\tliblundi_core.so => /prefix/bin/../lib/lundi/liblundi_core.so (0x...)"
                if (!line.contains("liblundi_"))
                    continue;
                const QByteArray path = line.mid(line.indexOf("=> ") + 3).split(' ').first();
                QVERIFY2(QDir::cleanPath(QFile::decodeName(path))
                             .startsWith(installed(QStringLiteral(LUNDI_LIB_INSTALL_DIR "/"))),
                         line.constData());
            }
        }
    }

    void cliFindsItsPlugins()
    {
        const Run formats = run(m_cli, {QStringLiteral("formats")});
        QVERIFY2(formats.status == 0, formats.err.constData());
        QProcess build;
        build.start(QStringLiteral(LUNDI_CLI), {QStringLiteral("formats")});
        QVERIFY(build.waitForFinished(60'000));
        QCOMPARE(formats.out, build.readAllStandardOutput());
        QVERIFY(formats.out.contains("chrome-trace"));

        const Run import = run(m_cli, {QStringLiteral("import"), QStringLiteral("--db"),
                                       m_work.filePath(QStringLiteral("alexnet.lundi")), alexnet()});
        QVERIFY2(import.status == 0, import.err.constData());
        QVERIFY2(import.out.contains("chrome-trace"), import.out.constData());
    }

    void cliAnalysesTheDemo()
    {
        const Run info = run(m_cli, {QStringLiteral("info"), QStringLiteral("--db"), m_demo});
        QVERIFY2(info.status == 0, info.err.constData());
        QVERIFY2(info.out.contains("lundi-demo"), info.out.constData());

        const Run suspects = run(
            m_cli, {QStringLiteral("suspects"), QStringLiteral("--db"), m_demo, QStringLiteral("--json")});
        QVERIFY2(suspects.status == 0, suspects.err.constData());
        const QJsonObject first = QJsonDocument::fromJson(suspects.out).array().first().toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("dlp.inspect_content"));
        QCOMPARE(first.value(QStringLiteral("category")).toString(), QStringLiteral("compliance"));
    }

    void guiImportsWithItsPlugins()
    {
        const QString out = m_work.filePath(QStringLiteral("alexnet.png"));
        const Run shot =
            run(installed(QStringLiteral(LUNDI_BIN_INSTALL_DIR "/lundi")),
                {QStringLiteral("--screenshot"), out, QStringLiteral("--view"), QStringLiteral("flamegraph"),
                 QStringLiteral("--size"), QStringLiteral("1200x800"), alexnet()});
        QVERIFY2(shot.status == 0, shot.err.constData());
        QCOMPARE(QImageReader(out).size(), QSize(1200, 800));
    }

    void desktopFilesValidate()
    {
        const QString desktop = installed(QStringLiteral(LUNDI_DATA_INSTALL_DIR "/applications/") + appId +
                                          QStringLiteral(".desktop"));
        const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        QVERIFY2(!validator.isEmpty(), "desktop-file-validate is missing: scripts/dev deps installs it");
        const Run entry = run(validator, {desktop});
        QVERIFY2(entry.status == 0 && entry.out.isEmpty(), entry.out.constData());

        const QString metainfo = installed(QStringLiteral(LUNDI_DATA_INSTALL_DIR "/metainfo/") + appId +
                                           QStringLiteral(".metainfo.xml"));
        const QString appstream = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
        QVERIFY2(!appstream.isEmpty(), "appstreamcli is missing: scripts/dev deps installs it");
        const Run component =
            run(appstream, {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
        QVERIFY2(component.status == 0, component.out.constData());

        // The newest release in the metainfo is this version.
        QFile file(metainfo);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        while (!xml.atEnd() &&
               !(xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"release")) {
        }
        QVERIFY2(!xml.atEnd(), "no release in the metainfo");
        QCOMPARE(xml.attributes().value(QStringLiteral("version")).toString(), QStringLiteral(LUNDI_VERSION));
    }

    void incidentIsKnownByNameAndContent()
    {
        const QMimeDatabase mime;
        const QMimeType byName = mime.mimeTypeForFile(m_demo);
        QCOMPARE(byName.name(), QStringLiteral("application/x-lundi-incident"));
        QVERIFY(byName.inherits(QStringLiteral("application/vnd.sqlite3")));

        // Renamed without its extension: the application id in the header says what it is.
        QFile demo(m_demo);
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QByteArray bytes = demo.read(4096);
        QCOMPARE(bytes.mid(68, 4), QByteArray("LUND"));
        QCOMPARE(mime.mimeTypeForData(bytes).name(), QStringLiteral("application/x-lundi-incident"));
        // Any other SQLite database stays one.
        bytes.replace(68, 4, QByteArray(4, '\0'));
        QCOMPARE(mime.mimeTypeForData(bytes).name(), QStringLiteral("application/vnd.sqlite3"));
    }

  private:
    QString installed(const QString& relative) const { return m_prefix.filePath(relative); }

    static QString alexnet()
    {
        return QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cuda_alexnet_critical_path.json");
    }

    Run run(const QString& program, const QStringList& arguments) const
    {
        QProcess process;
        process.setProcessEnvironment(m_environment);
        process.setWorkingDirectory(m_work.path());
        process.start(program, arguments);
        process.waitForFinished(300'000);
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), process.readAllStandardError()};
    }

    QTemporaryDir m_prefix;
    QTemporaryDir m_work;
    QProcessEnvironment m_environment;
    QString m_cli;
    QString m_demo;
};

QTEST_GUILESS_MAIN(TestInstall)
#include "tst_install.moc"
