// lundi-cli: every analysis of Lundi, headless, for scripts and CI. Argument parsing and
// output only; the work is core's. The --json shapes are a contract: add keys, never change them.

#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "ingest/importerror.h"
#include "store/storeerror.h"

#include <QApplication>

#include <cstdio>
#include <memory>

using namespace lundi;
using namespace lundi::cli;

namespace {

const char* const Usage = R"(usage: lundi-cli COMMAND [OPTIONS]

commands:
  import --db F [--format NAME] [--force] [--offset DURATION] [--at TIME] [--json] INPUT...
  info   --db F [--json]
  offset --db F [--set DURATION | --by DURATION] SOURCE
  top    --db F [--by self|total] [--category C] [--limit N] [--json]
  flame  --db F --folded [--by-track]
  diff   --db F --baseline SOURCE|START..END --incident SOURCE|START..END [--json]
  sql    --db F [--csv] "SELECT ..."
  classify --db F [--rules FILE]
  breakdown --db F [--range A..B] [--slo DURATION] [--json]
  correlate --db F [--range A..B] [--step DURATION] [--max-lag N] [--json]
  suspects --db F [--baseline SOURCE|RANGE] [--incident SOURCE|RANGE] [--json]
  critical-path --db F [--trace ID] [--range A..B] [--slowest PERCENT] [--crisp] [--limit N] [--json]
  report --db F -o FILE.pdf [--baseline SOURCE|RANGE] [--incident SOURCE|RANGE] [--title T] [--slo-ms N] [--page a4|letter]
  scrape URL [--every 15s] [--count N | --for D] [--header K:V] --db F
  pull-prometheus URL --query Q --start T --end T --step S [--header K:V] --db F
  pull-traces URL (--trace ID | --service S [--operation O] --start T --end T [--min-duration D]
              [--limit N]) [--api jaeger|jaeger-v3|tempo] [--header K:V] --db F
  probe http URL [--every 1s] [--count N | --for 60s] [--header K:V]... [--method M] [--data BODY]
             [--expect 200,204] [--timeout 10s] [--follow] [--http2] [--cacert F] [--insecure]
             [--json] --db F
  probe tcp HOST:PORT [--every 1s] [--count N | --for 60s] [--timeout 10s] [--json] --db F
  probe gpu [--every 1s] [--count N | --for D] [--fields F] [--nvidia-smi PATH] --db F
  demo   --db F
  formats

'lundi-cli COMMAND --help' describes one command.
)";

} // namespace

int main(int argc, char* argv[])
{
    // report paints charts and the flame graph (widgets) into its PDF: it needs a QApplication,
    // on the offscreen platform unless the user chose one, so that it runs without a display.
    const bool paints = argc > 1 && qstrcmp(argv[1], "report") == 0;
    if (paints && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const std::unique_ptr<QCoreApplication> app =
        paints ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lundi-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LUNDI_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2 || arguments[1] == QLatin1String("--help") ||
        arguments[1] == QLatin1String("-h")) {
        std::fputs(Usage, arguments.size() < 2 ? stderr : stdout);
        return arguments.size() < 2 ? ExitUsage : 0;
    }
    const QString name = arguments.takeAt(1);
    const std::pair<const char*, int (*)(const QStringList&)> commands[] = {
        {"import", runImport},
        {"info", runInfo},
        {"top", runTop},
        {"flame", runFlame},
        {"diff", runDiff},
        {"demo", runDemo},
        {"formats", runFormats},
        {"offset", runOffset},
        {"breakdown", runBreakdown},
        {"sql", runSql},
        {"classify", runClassify},
        {"correlate", runCorrelate},
        {"critical-path", runCriticalPath},
        {"scrape", runScrape},
        {"pull-prometheus", runPullPrometheus},
        {"pull-traces", runPullTraces},
        {"probe", runProbe},
        {"suspects", runSuspects},
        {"report", runReport}};
    try {
        for (const auto& [commandName, run] : commands) {
            if (name == QLatin1String(commandName))
                return run(arguments);
        }
        throw UsageError{QStringLiteral("unknown command \"%1\"").arg(name)};
    } catch (const UsageError& error) {
        printError(error.sentence + QStringLiteral(" (see lundi-cli --help)."));
        return ExitUsage;
    } catch (const StoreError& error) {
        printError(error.sentence());
    } catch (const ImportError& error) {
        printError(error.sentence());
    } catch (const RulesError& error) {
        printError(QString::fromUtf8(error.what()));
    } catch (const std::bad_alloc&) {
        printError(QStringLiteral("out of memory."));
    }
    return ExitFailure;
}
