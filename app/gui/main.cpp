// lundi: the workbench window. With a file it opens (or imports) it; with none, the demo
// incident. --screenshot renders one view into a PNG and exits, for tests and documentation.

#include "mainwindow.h"
#include "metricplotpanel.h"
#include "workbench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDirIterator>
#include <QIcon>
#include <QTimer>

#include <cstdio>

using namespace lundi;

namespace {

void fail(const QString& sentence)
{
    std::fprintf(stderr, "lundi: %s\n", qPrintable(sentence));
}

} // namespace

int main(int argc, char* argv[])
{
    // A screenshot needs no display: choose the offscreen platform unless the user chose one.
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--screenshot") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lundi"));
    QApplication::setOrganizationName(QStringLiteral("lundi"));
    QApplication::setApplicationDisplayName(QStringLiteral("Lundi"));
    QApplication::setApplicationVersion(QStringLiteral(LUNDI_VERSION));
    // The window belongs to the launcher of the desktop file (Wayland's app id) and has its icon,
    // in every size drawn for it.
    QApplication::setDesktopFileName(QStringLiteral("org.lundi.Lundi"));
    QIcon icon;
    QDirIterator pngs(QStringLiteral(":/lundi/icons"), {QStringLiteral("*.png")}, QDir::Files,
                      QDirIterator::Subdirectories);
    while (pngs.hasNext())
        icon.addFile(pngs.next());
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lundi, the performance-diagnostics workbench."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Render the window into OUT.png and exit."), QStringLiteral("OUT.png")});
    parser.addOption({QStringLiteral("view"),
                      QStringLiteral("The view to show: flamegraph, flamechart, sandwich, top, diff, "
                                     "breakdown, criticalpath or sql."),
                      QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("search"),
                      QStringLiteral("Search span names with this regular expression, as Ctrl+F does."),
                      QStringLiteral("REGEX")});
    parser.addOption({QStringLiteral("plot"),
                      QStringLiteral("Plot the metric series of this name (or name{labels}) under the "
                                     "flame chart; may be given more than once."),
                      QStringLiteral("SERIES")});
    parser.addOption({QStringLiteral("size"),
                      QStringLiteral("The window size for --screenshot (default 1600x1000)."),
                      QStringLiteral("WxH"), QStringLiteral("1600x1000")});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("An incident (.lundi) or a file to import."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    const QStringList files = parser.positionalArguments();
    const bool screenshot = parser.isSet(QStringLiteral("screenshot"));
    std::optional<MainWindow::View> view;
    if (parser.isSet(QStringLiteral("view"))) {
        view = MainWindow::viewFromName(parser.value(QStringLiteral("view")));
        if (!view) {
            fail(QStringLiteral("--view takes flamegraph, flamechart, sandwich, top, diff, breakdown, "
                                "criticalpath or sql"));
            return 2;
        }
    }
    QSize size;
    if (screenshot) {
        const QStringList parts = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
        if (parts.size() == 2)
            size = QSize(parts[0].toInt(), parts[1].toInt());
        if (size.width() < 200 || size.height() < 150) {
            fail(QStringLiteral("--size takes WIDTHxHEIGHT, at least 200x150"));
            return 2;
        }
        if (files.size() != 1) {
            fail(QStringLiteral("--screenshot needs one FILE"));
            return 2;
        }
    }

    // The window's layout and recent files are the user's: a screenshot leaves them alone.
    MainWindow window(screenshot ? MainWindow::Session::Fresh : MainWindow::Session::Remembered);
    if (screenshot)
        window.resize(size);
    if (view)
        window.showView(*view);
    if (parser.isSet(QStringLiteral("search"))) {
        // Opening an incident clears the search: search once it is open.
        QObject::connect(
            window.workbench(), &Workbench::opened, &window,
            [&window, pattern = parser.value(QStringLiteral("search"))] { window.search(pattern); },
            Qt::SingleShotConnection);
    }
    // Plots need the incident's metrics: plot once it is loaded.
    const QStringList plots = parser.values(QStringLiteral("plot"));
    if (!plots.isEmpty()) {
        QObject::connect(
            window.workbench(), &Workbench::snapshotChanged, &window,
            [&window, plots] {
                for (const QString& name : plots) {
                    if (window.metricPlots()->plotByName(name) == 0) {
                        fail(QStringLiteral("--plot: the incident has no metric series named %1").arg(name));
                        QApplication::exit(1);
                    }
                }
            },
            Qt::SingleShotConnection);
    }
    window.show();
    if (screenshot) {
        const QString out = parser.value(QStringLiteral("screenshot"));
        QObject::connect(&window, &MainWindow::settled, &app, [&] {
            // One more turn of the event loop, so the views paint what just arrived.
            QTimer::singleShot(50, &app, [&] {
                if (!window.grab().save(out)) {
                    fail(QStringLiteral("%1: cannot write the image.").arg(out));
                    QApplication::exit(1);
                    return;
                }
                QApplication::exit(0);
            });
        });
        QObject::connect(&window, &MainWindow::failed, &app, [](const QString& sentence) {
            fail(sentence);
            QApplication::exit(1);
        });
    }
    if (files.isEmpty())
        window.openDemo();
    else
        window.openOrImport(files.front());
    const int status = app.exec();
    return status;
}
