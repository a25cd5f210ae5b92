#pragma once

#include <QObject>
#include <QString>

#include <string_view>

namespace lundi {

class ImportControl;
class InputFile;
class Sink;

// One input format. Implementations are Qt plugins in plugins/; they see only this interface,
// the Sink and the input bytes, never the store.
class Importer
{
  public:
    virtual ~Importer();

    // The stable name used by --format and stored with each source, e.g. "chrome-trace".
    virtual QString format() const = 0;
    virtual QString description() const = 0;
    // How sure the importer is that it reads this content: 0 (not at all) to 100 (certain).
    // head is the start of the (decompressed) content; the name only breaks ties.
    virtual int detect(std::string_view head, const QString& fileName) const = 0;
    // Writes the input into the sink. Throws ImportError on input it cannot read, and lets
    // ImportCancelled from the control pass through. Must be callable from any thread.
    virtual void import(const InputFile& input, Sink& sink, ImportControl& control) const = 0;
};

} // namespace lundi

#define LundiImporter_iid "org.lundi.Importer/1"
Q_DECLARE_INTERFACE(lundi::Importer, LundiImporter_iid)
