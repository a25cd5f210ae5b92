#pragma once

#include <chrono>
#include <string>

namespace lundi::test {

// A self-signed certificate made with OpenSSL at run time (an EC P-256 key), for localhost and
// 127.0.0.1, valid from an hour ago until notAfter: the test server's certificate and, written to
// a file, the CA a client trusts it with.
class TestCertificate
{
  public:
    explicit TestCertificate(std::chrono::sys_seconds notAfter);

    const std::string& certificatePem() const { return m_certificatePem; }
    const std::string& privateKeyPem() const { return m_privateKeyPem; }

  private:
    std::string m_certificatePem;
    std::string m_privateKeyPem;
};

} // namespace lundi::test
