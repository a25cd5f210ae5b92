#include "pullclient.h"
#include "probeengine.h"
#include "secretredaction.h"

#include "ingest/importerror.h"

#include <QByteArray>

#include <future>
#include <thread>

namespace lundi {

PullClient::PullClient(ProbeEngine& engine, Options options) : m_engine(engine), m_options(std::move(options))
{
}

HttpResult PullClient::get(const std::string& url, const std::string& accept)
{
    HttpRequest request;
    request.url = url;
    if (!accept.empty())
        request.headers.emplace_back("Accept", accept);
    return send(std::move(request));
}

HttpResult PullClient::postForm(const std::string& url, const std::string& form, const std::string& accept)
{
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = form;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (!accept.empty())
        request.headers.emplace_back("Accept", accept);
    return send(std::move(request));
}

HttpResult PullClient::send(HttpRequest request)
{
    request.headers.insert(request.headers.end(), m_options.headers.begin(), m_options.headers.end());
    request.timeout = m_options.timeout;
    request.verifyTls = m_options.verifyTls;
    request.caFile = m_options.caFile;
    request.keepBody = true;
    request.followRedirects = true; // a proxy in front of the API may move it
    std::chrono::milliseconds pause = m_options.backoff;
    for (int attempt = 0;; ++attempt) {
        std::promise<HttpResult> answered;
        std::future<HttpResult> answer = answered.get_future();
        m_engine.fetch(request, [&answered](HttpResult result) { answered.set_value(std::move(result)); });
        HttpResult result = answer.get();
        // A status with no error, or the error a status that the caller reads.
        if (result.errorClass != ProbeErrorClass::None && result.errorClass != ProbeErrorClass::HttpStatus) {
            if (result.errorClass == ProbeErrorClass::Timeout)
                fail(request.url, QStringLiteral("no answer within %1 s (--timeout)")
                                      .arg(double(m_options.timeout.count()) / 1000.0));
            fail(request.url, QString::fromStdString(result.error));
        }
        const bool busy = result.status == 503 || result.status == 429;
        if (!busy)
            return result;
        if (attempt == m_options.retries)
            fail(request.url,
                 QStringLiteral("the server is unavailable: it answered %1 to %2 tries; try again "
                                "later")
                     .arg(describeStatus(result), QString::number(attempt + 1)));
        std::this_thread::sleep_for(pause);
        pause *= 2;
    }
}

void PullClient::fail(const std::string& url, const QString& problem)
{
    ImportError error(problem);
    error.locate(QString::fromStdString(SecretRedaction::url(url)), 0, 0);
    throw error;
}

QString PullClient::describeStatus(const HttpResult& result)
{
    QString text = QStringLiteral("status %1").arg(result.status);
    // A short plain-text body is the server's reason; HTML or JSON is left to the caller.
    constexpr size_t shown = 200;
    const std::string_view body = result.body;
    const size_t end = body.find_last_not_of(" \r\n\t");
    if (end != std::string_view::npos && end < shown && body.find_first_of("<{") == std::string_view::npos)
        text += QStringLiteral(" (\"%1\")").arg(QString::fromUtf8(body.data(), qsizetype(end + 1)));
    return text;
}

std::string PullClient::query(const std::vector<std::pair<std::string, std::string>>& parameters)
{
    std::string text;
    for (const auto& [name, value] : parameters) {
        if (!text.empty())
            text += '&';
        text += name;
        text += '=';
        text += QByteArray::fromStdString(value).toPercentEncoding().toStdString();
    }
    return text;
}

std::string PullClient::endpoint(const std::string& baseUrl, const std::string& suffix,
                                 const std::string& parameters)
{
    std::string url = baseUrl.substr(0, baseUrl.find('#'));
    std::string ownQuery;
    if (const size_t mark = url.find('?'); mark != std::string::npos) {
        ownQuery = url.substr(mark + 1);
        url.resize(mark);
    }
    while (url.ends_with('/'))
        url.pop_back();
    if (!url.ends_with(suffix))
        url += suffix;
    std::string query = ownQuery;
    if (!query.empty() && !parameters.empty())
        query += '&';
    query += parameters;
    return query.empty() ? url : url + '?' + query;
}

} // namespace lundi
