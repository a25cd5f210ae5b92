// The default classification rules on span names, Chrome cats and attributes as real producers
// write them (PyTorch profiler, CUDA, OpenTelemetry), and the errors of a faulty rules file.

#include "classifier.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

class TestClassifier : public QObject
{
    Q_OBJECT

  private:
    const Classifier m_defaults =
        Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in classification rules"));

    static void row(const char* tag, const char* name, const char* cat, const char* attributes,
                    const char* category)
    {
        QTest::newRow(tag) << QByteArray(name) << QByteArray(cat) << QByteArray(attributes)
                           << QString::fromLatin1(category);
    }

  private Q_SLOTS:
    void builtInRulesLoad()
    {
        QVERIFY(!Classifier::builtInJson().isEmpty());
        QVERIFY(m_defaults.rules().size() >= 10);
        for (const Classifier::Rule& rule : m_defaults.rules()) {
            QVERIFY(rule.name.isValid());
            QVERIFY(rule.cat.isValid());
        }
    }

    void defaults_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("cat");
        QTest::addColumn<QByteArray>("attributes");
        QTest::addColumn<QString>("category");

        // PyTorch profiler (Kineto) traces: kernels, memcpy/memset, CUDA runtime, driver and sync.
        row("kernel: templated",
            "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>,"
            " at::detail::Array<char*, 3> >(int, at::native::CUDAFunctor_add<float>, "
            "at::detail::Array<char*, 3>)",
            "kernel", "", "gpu");
        row("kernel: cublas sgemm", "ampere_sgemm_128x64_tn", "kernel", "", "gpu");
        row("kernel: xmma gemm", "sm80_xmma_gemm_f16f16_f16f32_f32_tn_n_tilesize128x128x32_stage3", "kernel",
            R"({"device":0,"stream":7,"correlation":812})", "gpu");
        row("kernel: older Kineto cat",
            "void flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4> >(Flash_fwd_params)", "Kernel", "",
            "gpu");
        row("kernel: nccl", "ncclDevKernel_AllReduce_Sum_f16_RING_LL(ncclDevComm*, unsigned long, ncclWork*)",
            "kernel", "", "gpu");
        row("memcpy HtoD", "Memcpy HtoD (Pageable -> Device)", "gpu_memcpy", "", "gpu");
        row("memcpy DtoH, no cat", "Memcpy DtoH (Device -> Pinned)", "", "", "gpu");
        row("memcpy, older cat", "Memcpy DtoD (Device -> Device)", "Memcpy", "", "gpu");
        row("memset", "Memset (Device)", "gpu_memset", "", "gpu");
        row("memset, no cat", "Memset (Device)", "", "", "gpu");
        row("cuda runtime launch", "cudaLaunchKernel", "cuda_runtime", R"({"cbid":211,"correlation":812})",
            "gpu");
        row("cuda runtime launch, no cat", "cudaLaunchKernel", "", "", "gpu");
        row("cuda runtime memcpy", "cudaMemcpyAsync", "cuda_runtime", "", "gpu");
        row("cuda driver launch", "cuLaunchKernel", "cuda_driver", "", "gpu");
        row("cuda driver launch, no cat", "cuLaunchKernel", "", "", "gpu");
        row("cuda driver memalloc", "cuMemAlloc_v2", "", "", "gpu");
        row("cuda sync", "cudaStreamSynchronize", "cuda_sync", "", "gpu");
        row("cuda device sync", "cudaDeviceSynchronize", "cuda_runtime", "", "gpu");
        row("cuda wait event is gpu, not queue", "cudaStreamWaitEvent", "cuda_runtime", "", "gpu");
        row("gpu annotation", "ProfilerStep#3", "gpu_user_annotation", "", "gpu");
        row("nccl call", "ncclAllReduce", "", "", "gpu");
        row("hip launch", "hipLaunchKernel", "", "", "gpu");
        row("triton kernel", "triton_poi_fused_add_0", "", "", "gpu");
        row("gpu attribute", "step", "", R"({"gpu.id":"0"})", "gpu");
        row("cpu op", "aten::mm", "cpu_op", "", "compute");

        // Names that merely start with "cu" or "hip" are not CUDA or HIP calls.
        row("customer lookup", "customer_lookup", "", "", "other");
        row("customer grpc server", "CustomerService/GetCustomer", "",
            R"({"rpc.system":"grpc","rpc.service":"CustomerService","span.kind":"server"})", "api");
        row("db cursor", "cursor.execute", "", R"({"db.system":"postgresql"})", "storage");
        row("hipster shop checkout", "hipstershop.CheckoutService/PlaceOrder", "",
            R"({"rpc.system":"grpc","span.kind":"server"})", "api");

        // Compliance: auth, policy, PII, guardrails, DLP, audit, encryption.
        row("auth", "auth.check", "", "", "compliance");
        row("auth over grpc", "AuthService/VerifyToken", "", R"({"rpc.system":"grpc","span.kind":"server"})",
            "compliance");
        row("oauth", "oauth2.introspect", "", "", "compliance");
        row("authorize", "authorize_request", "", "", "compliance");
        row("policy", "OPA policy evaluation", "", "", "compliance");
        row("pii", "pii_scan", "", "", "compliance");
        row("pii upper case", "PII redaction", "", "", "compliance");
        row("guardrail", "guardrails.check_output", "", "", "compliance");
        row("dlp", "dlp.inspect_content", "", "", "compliance");
        row("audit log write", "audit_log.write", "", R"({"db.system":"postgresql"})", "compliance");
        row("encrypt", "encrypt_payload", "", "", "compliance");
        row("decrypt", "kms.Decrypt", "", "", "compliance");
        row("moderation", "content moderation", "", "", "compliance");
        // "authors" is a resource, not authentication.
        row("authors route", "GET /api/authors", "", R"({"http.request.method":"GET","span.kind":"server"})",
            "api");

        // HTTP and RPC: server side is api, client side is network.
        row("http server route", "POST /v1/chat/completions", "",
            R"({"http.method":"POST","http.route":"/v1/chat/completions","span.kind":"server"})", "api");
        row("http server semconv 1.2x", "GET /items/{id}", "",
            R"({"http.request.method":"GET","url.path":"/items/42","span.kind":"server"})", "api");
        row("http server DELETE route", "DELETE /items/{id}", "",
            R"({"http.request.method":"DELETE","span.kind":"server"})", "api");
        row("http server PUT route", "PUT /items/{id}", "", R"({"http.request.method":"PUT"})", "api");
        row("http server, attributes only", "handle", "", R"({"http.status_code":200})", "api");
        row("http server, name only", "HTTP POST", "", R"({"span.kind":"server"})", "api");
        row("grpc server", "inventory.v1.Inventory/Reserve", "",
            R"({"rpc.system":"grpc","rpc.service":"inventory.v1.Inventory","span.kind":"server"})", "api");
        row("grpc name", "grpc.health.v1.Health/Check", "", "", "api");
        row("handler", "request_handler", "", "", "api");
        row("gateway", "api-gateway", "", "", "api");
        row("gen_ai server", "chat gpt-4o", "",
            R"({"gen_ai.system":"openai","gen_ai.request.model":"gpt-4o"})", "api");
        row("http client", "HTTP GET", "", R"({"http.method":"GET","span.kind":"client"})", "network");
        row("http client semconv", "GET", "",
            R"({"http.request.method":"GET","server.address":"retriever","span.kind":"client"})", "network");
        row("http client route", "POST /v1/embeddings", "",
            R"({"http.request.method":"POST","span.kind":"client"})", "network");
        row("http client DELETE", "DELETE /items/{id}", "",
            R"({"http.request.method":"DELETE","span.kind":"client"})", "network");
        row("client kind upper case", "HTTP GET", "", R"({"span.kind":"CLIENT"})", "network");
        row("grpc client", "retrieval.v1.Retriever/Search", "",
            R"({"rpc.system":"grpc","span.kind":"client"})", "network");
        row("dns", "dns lookup", "", "", "network");
        row("tls", "tls handshake", "", "", "network");
        row("tcp connect", "tcp.connect", "", "", "network");

        // Traces (OTLP, Jaeger): span kind and the semantic conventions, current and older names.
        // A gen_ai call is the model's API from the caller's side, whatever its kind; the model's
        // own phases are compute, its kernels gpu; its HTTP client span stays network.
        row("gen_ai chat client", "chat model-a", "",
            R"({"span.kind":"client","gen_ai.operation.name":"chat","gen_ai.request.model":"model-a"})",
            "api");
        row("gen_ai embeddings client", "embeddings text-embedding-3-small", "",
            R"({"span.kind":"client","gen_ai.operation.name":"embeddings"})", "api");
        row("gen_ai agent server", "invoke_agent triage-agent", "",
            R"({"span.kind":"server","gen_ai.operation.name":"invoke_agent","gen_ai.agent.name":"triage"})",
            "api");
        row("gen_ai tool", "execute_tool list_dashboards", "",
            R"({"span.kind":"internal","gen_ai.operation.name":"execute_tool"})", "api");
        row("gen_ai retrieval", "retrieve context", "",
            R"({"span.kind":"client","gen_ai.operation.name":"retrieval"})", "storage");
        row("gen_ai model's own prefill", "prefill", "", R"({"gen_ai.request.model":"llama-3.1-8b"})",
            "compute");
        row("gen_ai kernel", "flash_fwd_kernel", "kernel", R"({"gen_ai.request.model":"llama-3.1-8b"})",
            "gpu");
        row("gen_ai HTTP call", "POST /v1/messages", "",
            R"({"span.kind":"client","http.request.method":"POST","url.full":"https://api.example/v1/messages"})",
            "network");
        row("server kind alone", "Query.assistantReply", "", R"({"span.kind":"server"})", "api");
        row("server kind with peer", "okey-dokey-0", "",
            R"({"span.kind":"server","peer.service":"telemetrygen-client","net.peer.ip":"1.2.3.4"})", "api");
        row("internal kind alone", "graphql.execution", "", R"({"span.kind":"internal"})", "other");
        row("error does not decide", "GET /api/v1/pods", "",
            R"({"span.kind":"server","http.route":"/api/v1/pods","error":true})", "api");
        row("otel status does not decide", "call", "", R"({"span.kind":"client","otel.status_code":"ERROR"})",
            "network");
        row("http server, older names", "HTTP GET /dispatch", "",
            R"({"span.kind":"server","http.method":"GET","http.url":"/dispatch?customer=123","http.status_code":200})",
            "api");
        row("http client, older names", "HTTP GET", "",
            R"({"span.kind":"client","http.method":"GET","http.url":"http://customer:8081/customer"})",
            "network");
        row("producer", "send", "", R"({"span.kind":"producer"})", "queue");
        row("consumer", "op3", "", R"({"span.kind":"consumer"})", "queue");
        row("messaging publish", "orders publish", "",
            R"({"span.kind":"producer","messaging.system":"kafka","messaging.destination.name":"orders"})",
            "queue");
        row("messaging receive client", "orders receive", "",
            R"({"span.kind":"client","messaging.system":"rabbitmq","messaging.operation.type":"receive"})",
            "queue");
        row("messaging, older names", "process", "",
            R"({"messaging.system":"kafka","messaging.destination":"t"})", "queue");
        row("db, older names", "query", "",
            R"({"span.kind":"client","db.type":"sql","db.statement":"SELECT 1"})", "storage");
        row("db semconv 1.26", "SELECT series", "",
            R"({"span.kind":"client","db.system.name":"clickhouse","db.query.text":"SELECT series FROM samples"})",
            "storage");
        row("db server", "SEARCH docs", "", R"({"span.kind":"server","db.system.name":"qdrant"})", "storage");
        row("jdbc tags", "HikariProxyPreparedStatement.executeQuery", "",
            R"({"database":"jdbc:hsqldb:mem:testdb","sql":"select * from test"})", "storage");
        row("sql.query tag", "fetchCustomer", "", R"({"sql.query":"select * from customer"})", "storage");
        row("peer.service redis", "FindDriverIDs", "", R"({"span.kind":"client","peer.service":"redis"})",
            "storage");
        row("peer.service postgresql", "fetch", "", R"({"peer.service":"postgresql-primary"})", "storage");
        row("peer.service of a service", "GetDriver", "", R"({"span.kind":"client","peer.service":"driver"})",
            "network");
        row("rpc server, semconv", "inventory.v1.Inventory/List", "",
            R"({"span.kind":"server","rpc.system":"grpc"})", "api");

        // Storage: databases, SQL, Redis, vector search.
        row("db span", "SELECT inventory.items", "", R"({"db.system":"postgresql","db.name":"inventory"})",
            "storage");
        row("sql text", "SELECT * FROM items WHERE sku = ?", "", "", "storage");
        row("sql insert", "INSERT orders", "", "", "storage");
        row("sql update", "UPDATE stock SET qty = qty - 1", "", "", "storage");
        row("sql delete", "DELETE FROM reservations", "", "", "storage");
        row("sql cat", "exec", "sql", "", "storage");
        row("db name", "db.query", "", "", "storage");
        row("redis", "redis GET", "", "", "storage");
        row("redis attribute", "HGETALL", "", R"({"db.system":"redis"})", "storage");
        row("redis client class", "RedisClient.get", "", "", "storage");
        row("postgresql", "postgresql.query", "", "", "storage");
        row("sqlite", "sqlite3_step", "", "", "storage");
        row("vector search", "vector search", "", "", "storage");
        row("vector_search", "vector_search", "", "", "storage");
        row("vector store", "VectorStore.similarity_search", "", "", "storage");
        row("vector store retriever", "VectorStoreRetriever", "", "", "storage");
        row("qdrant", "qdrant.search", "", "", "storage");
        row("qdrant client", "QdrantClient.search", "", "", "storage");
        row("pinecone", "pinecone query", "", "", "storage");
        row("faiss", "faiss.IndexFlatL2.search", "", "", "storage");
        row("s3", "s3.GetObject", "", "", "storage");

        // Queues and waits.
        row("queue", "queue wait", "", "", "queue");
        row("enqueue", "enqueue_request", "", "", "queue");
        row("wait", "wait_for_slot", "", "", "queue");
        row("batcher", "batcher.wait", "", "", "queue");
        row("rate limit", "rate_limit", "", "", "queue");
        row("backoff", "retry backoff", "", "", "queue");

        // Compute.
        row("tokenize", "tokenize", "", "", "compute");
        row("prefill", "prefill", "", "", "compute");
        row("decode", "decode_step", "", "", "compute");
        row("embed", "embed_query", "", "", "compute");

        // Nothing known.
        row("unknown", "frobnicate", "", "", "other");
        row("unknown with attributes", "frobnicate", "", R"({"widget":"blue","count":3})", "other");
        row("empty", "", "", "", "other");
        row("unknown cat", "step", "something_else", "", "other");
        row("malformed attributes", "frobnicate", "", "{not json", "other");
    }

    void defaults()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, cat);
        QFETCH(QByteArray, attributes);
        QFETCH(QString, category);
        const std::string_view nameView(name.constData(), size_t(name.size()));
        const std::string_view catView(cat.constData(), size_t(cat.size()));
        const Category got = m_defaults.classify(
            nameView, catView, std::string_view(attributes.constData(), size_t(attributes.size())));
        QCOMPARE(categoryName(got), category);

        // StoreSink trusts classifyWithoutAttributes to give the same answer wherever it gives one.
        if (const auto early = m_defaults.classifyWithoutAttributes(nameView, catView))
            QCOMPARE(categoryName(*early), category);
    }

    void rulesErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("{\"rules\": [") << QStringLiteral("my-rules.json: byte ");
        QTest::newRow("garbage") << QByteArray("rules = gpu")
                                 << QStringLiteral("my-rules.json: byte 1: illegal value.");
        QTest::newRow("no rules") << QByteArray("{}") << QStringLiteral("my-rules.json: no rules");
        QTest::newRow("empty rules") << QByteArray(R"({"rules": []})")
                                     << QStringLiteral("my-rules.json: no rules");
        QTest::newRow("unknown category")
            << QByteArray(R"({"rules": [{"category": "gpus", "name": "x"}]})")
            << QStringLiteral("my-rules.json: rule 1: unknown category \"gpus\".");
        QTest::newRow("missing category") << QByteArray(R"({"rules": [{"name": "x"}]})")
                                          << QStringLiteral("my-rules.json: rule 1: unknown category \"\".");
        // Plain strings below: moc 6.4 loses track of the class at a raw string with an unbalanced bracket.
        QTest::newRow("invalid name regex")
            << QByteArray("{\"rules\": [{\"category\": \"gpu\", \"name\": \"x\"}, {\"category\": \"api\", "
                          "\"name\": \"(get\"}]}")
            << QStringLiteral("my-rules.json: rule 2: missing closing parenthesis in \"(get\".");
        QTest::newRow("invalid cat regex")
            << QByteArray("{\"rules\": [{\"category\": \"gpu\", \"cat\": \"[kernel\"}]}")
            << QStringLiteral("my-rules.json: rule 1: ");
        QTest::newRow("invalid attribute key regex")
            << QByteArray(R"({"rules": [{"category": "api", "attributes": {"*http": ""}}]})")
            << QStringLiteral("my-rules.json: rule 1: ");
        QTest::newRow("invalid attribute value regex")
            << QByteArray(R"({"rules": [{"category": "api", "attributes": {"http": "+"}}]})")
            << QStringLiteral("my-rules.json: rule 1: ");
    }

    void rulesErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        try {
            Classifier::fromJson(json, QStringLiteral("my-rules.json"));
            QFAIL("faulty rules were accepted");
        } catch (const RulesError& error) {
            const QString sentence = QString::fromUtf8(error.what());
            QVERIFY2(sentence.startsWith(expected), qPrintable(sentence));
            QVERIFY2(sentence.size() > expected.size() || expected.endsWith(QLatin1Char('.')),
                     qPrintable(sentence));
        }
    }

    void firstMatchingRuleWins()
    {
        const Classifier classifier = Classifier::fromJson(R"({"rules": [
            {"category": "queue", "name": "^wait", "attributes": {"^k$": "^v$"}},
            {"category": "storage", "name": "^wait", "cat": "^db$"},
            {"category": "api", "name": "^WAIT"}
        ]})",
                                                           QStringLiteral("test"));
        QCOMPARE(classifier.classify("wait_x", "", R"({"k":"v"})"), Category::Queue);
        QCOMPARE(classifier.classify("wait_x", "db", R"({"k":"other"})"), Category::Storage);
        QCOMPARE(classifier.classify("wait_x", "", ""), Category::Api); // case-insensitive
        QCOMPARE(classifier.classify("no", "", ""), Category::Other);
        // Where an attribute rule could still win, the early verdict stays open.
        QCOMPARE(classifier.classifyWithoutAttributes("wait_x", ""), std::nullopt);
        QCOMPARE(classifier.classifyWithoutAttributes("no", ""), std::optional<Category>(Category::Other));
        // Numbers and booleans match as text.
        const Classifier typed = Classifier::fromJson(
            R"({"rules": [{"category": "network", "attributes": {"^port$": "^443$", "^tls$": "^true$"}}]})",
            QStringLiteral("test"));
        QCOMPARE(typed.classify("x", "", R"({"port":443,"tls":true})"), Category::Network);
        QCOMPARE(typed.classify("x", "", R"({"port":443,"tls":false})"), Category::Other);
    }

    void standardHonoursLundiRules()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Keep the user's own config folder out of it.
        const QByteArray oldConfigHome = qgetenv("XDG_CONFIG_HOME");
        const QByteArray oldConfigDirs = qgetenv("XDG_CONFIG_DIRS");
        const QByteArray oldRules = qgetenv("LUNDI_RULES");
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(dir.filePath(QStringLiteral("config"))));
        qputenv("XDG_CONFIG_DIRS", QFile::encodeName(dir.filePath(QStringLiteral("xdg"))));
        const auto restore = qScopeGuard([&] {
            const auto put = [](const char* name, const QByteArray& value) {
                if (value.isNull())
                    qunsetenv(name);
                else
                    qputenv(name, value);
            };
            put("XDG_CONFIG_HOME", oldConfigHome);
            put("XDG_CONFIG_DIRS", oldConfigDirs);
            put("LUNDI_RULES", oldRules);
        });

        qunsetenv("LUNDI_RULES");
        QCOMPARE(Classifier::standard().classify("cudaLaunchKernel", "", ""), Category::Gpu);
        QCOMPARE(Classifier::standard().rules().size(), m_defaults.rules().size());

        const QString rules = dir.filePath(QStringLiteral("mine.json"));
        {
            QFile file(rules);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"rules": [{"category": "queue", "name": "^special$"}]})");
        }
        qputenv("LUNDI_RULES", QFile::encodeName(rules));
        const Classifier mine = Classifier::standard();
        QCOMPARE(mine.rules().size(), 1);
        QCOMPARE(mine.classify("special", "", ""), Category::Queue);
        QCOMPARE(mine.classify("cudaLaunchKernel", "", ""), Category::Other); // the defaults are replaced

        // A user's faulty file is reported with its path, not replaced by the defaults.
        {
            QFile file(rules);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(R"({"rules": [{"category": "fast"}]})");
        }
        try {
            Classifier::standard();
            QFAIL("faulty LUNDI_RULES accepted");
        } catch (const RulesError& error) {
            QVERIFY2(QString::fromUtf8(error.what())
                         .startsWith(rules + QLatin1String(": rule 1: unknown category")),
                     error.what());
        }

        const QString missing = dir.filePath(QStringLiteral("missing.json"));
        qputenv("LUNDI_RULES", QFile::encodeName(missing));
        try {
            Classifier::standard();
            QFAIL("a missing LUNDI_RULES file was accepted");
        } catch (const RulesError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).startsWith(missing + QLatin1String(": ")), error.what());
        }

        // Without LUNDI_RULES, the config folder's file is next in line.
        qunsetenv("LUNDI_RULES");
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("config/lundi"))));
        {
            QFile file(dir.filePath(QStringLiteral("config/lundi/classification-rules.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"rules": [{"category": "storage", "name": "^configured$"}]})");
        }
        QCOMPARE(Classifier::standard().classify("configured", "", ""), Category::Storage);
    }
};

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
