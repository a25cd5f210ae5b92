#include "testcertificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace lundi::test {

namespace {

template <auto free> struct Deleter
{
    template <typename T> void operator()(T* p) const { free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

void check(bool ok, const char* what)
{
    if (!ok)
        throw std::runtime_error(std::string("TestCertificate: ") + what + " failed");
}

void addExtension(X509* certificate, int nid, const char* value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    check(extension && X509_add_ext(certificate, extension.get(), -1) == 1, value);
}

template <typename Write> std::string pem(Write write)
{
    const Bio bio(BIO_new(BIO_s_mem()));
    check(bio && write(bio.get()) == 1, "PEM_write");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

} // namespace

TestCertificate::TestCertificate(std::chrono::sys_seconds notAfter)
{
    const Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");
    const Certificate certificate(X509_new());
    X509* x = certificate.get();
    check(x && X509_set_version(x, 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(x), 1) == 1, "serial");
    check(X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr, "notBefore");
    check(ASN1_TIME_set(X509_getm_notAfter(x), notAfter.time_since_epoch().count()) != nullptr, "notAfter");
    check(X509_set_pubkey(x, key.get()) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(x);
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0) == 1,
          "CN");
    check(X509_set_issuer_name(x, name) == 1, "X509_set_issuer_name");
    // Its own CA, so that a client given it as its CA file trusts it.
    addExtension(x, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(x, NID_key_usage, "critical,digitalSignature,keyCertSign");
    addExtension(x, NID_ext_key_usage, "serverAuth");
    addExtension(x, NID_subject_key_identifier, "hash");
    addExtension(x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    check(X509_sign(x, key.get(), EVP_sha256()) > 0, "X509_sign");

    m_certificatePem = pem([x](BIO* bio) { return PEM_write_bio_X509(bio, x); });
    m_privateKeyPem = pem([&key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
}

} // namespace lundi::test
