#include "httpprobe.h"
#include "probeengine.h"
#include "secretredaction.h"

namespace lundi {

QString HttpProbe::requestName(const HttpRequest& request)
{
    return QString::fromStdString(request.method + " " + SecretRedaction::url(request.url));
}

HttpProbe::HttpProbe(ProbeEngine& engine, HttpProbeConfig config, ResultHandler onResult)
    : m_target(config.target.isEmpty() ? SecretRedaction::url(QString::fromStdString(config.request.url))
                                       : config.target),
      m_scheduler(engine, std::move(config.schedule),
                  [&engine, request = config.request, target = m_target,
                   onResult = std::move(onResult)](std::function<void()> done) {
                      engine.fetch(request, [target, onResult, done](HttpResult result) {
                          onResult(target, result);
                          done();
                      });
                  })
{
}

} // namespace lundi
