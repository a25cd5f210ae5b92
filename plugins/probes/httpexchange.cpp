#include "httpexchange.h"

namespace lundi {

const char* probeErrorClassName(ProbeErrorClass errorClass)
{
    switch (errorClass) {
    case ProbeErrorClass::None:
        return "";
    case ProbeErrorClass::Dns:
        return "dns";
    case ProbeErrorClass::Refused:
        return "refused";
    case ProbeErrorClass::Timeout:
        return "timeout";
    case ProbeErrorClass::Tls:
        return "tls";
    case ProbeErrorClass::HttpStatus:
        return "http_status";
    case ProbeErrorClass::Reset:
        return "reset";
    case ProbeErrorClass::Body:
        return "body";
    }
    return "";
}

} // namespace lundi
