import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts an embedded Neo4j Community server for aptgraph's tests: Bolt on
 * 127.0.0.1 and a free port, HTTP off. With the environment variable
 * APTGRAPH_LAUNCHER_PASSWORD set, auth is on and the "neo4j" user gets that
 * password (so that the password never appears in a process argument);
 * otherwise auth is off. With APTGRAPH_LAUNCHER_TLS_DIR set to a directory
 * holding private.key (PKCS#8 PEM) and public.crt, Bolt requires TLS.
 * APTGRAPH_LAUNCHER_IMPORT_DIR sets the directory LOAD CSV reads file:///
 * URLs from; APTGRAPH_LAUNCHER_PAGECACHE_MB the page cache (default 256).
 *
 * Usage: java ... Launcher DATA_DIR
 *
 * Prints "READY bolt://127.0.0.1:PORT" on stdout once Bolt accepts
 * connections, then runs until stdin closes or the process is signalled,
 * and shuts the database down cleanly.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Launcher DATA_DIR");
            System.exit(2);
        }
        String password = System.getenv("APTGRAPH_LAUNCHER_PASSWORD");
        boolean auth = password != null && !password.isEmpty();
        int port = freePort();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(Path.of(args[0]));
        String tlsDir = System.getenv("APTGRAPH_LAUNCHER_TLS_DIR");
        if (tlsDir != null && !tlsDir.isEmpty()) {
            SslPolicyConfig policy = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            Path dir = Path.of(tlsDir);
            java.nio.file.Files.createDirectories(dir.resolve("trusted"));
            java.nio.file.Files.createDirectories(dir.resolve("revoked"));
            builder.setConfig(policy.enabled, true)
                    .setConfig(policy.base_directory, dir)
                    .setConfig(policy.private_key, dir.resolve("private.key"))
                    .setConfig(policy.public_certificate, dir.resolve("public.crt"))
                    .setConfig(policy.client_auth, ClientAuth.NONE)
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED);
        }
        String importDir = System.getenv("APTGRAPH_LAUNCHER_IMPORT_DIR");
        if (importDir != null && !importDir.isEmpty()) {
            builder.setConfig(GraphDatabaseSettings.load_csv_file_url_root, Path.of(importDir))
                    .setConfig(GraphDatabaseSettings.allow_file_urls, true);
        }
        long pageCache = 256;
        String pc = System.getenv("APTGRAPH_LAUNCHER_PAGECACHE_MB");
        if (pc != null && !pc.isEmpty() && Long.parseLong(pc) > 0) {
            pageCache = Long.parseLong(pc);
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCache))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        if (auth) {
            // Embedded access to the system database bypasses auth, so the
            // initial password can be set without the neo4j/neo4j dance.
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED",
                    java.util.Map.of("pw", password));
        }
        dbms.database("neo4j").executeTransactionally("RETURN 1");
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        InputStream in = System.in;
        try {
            while (in.read() != -1) {
                // Wait for the parent to close stdin.
            }
        } catch (IOException ignored) {
            // The parent went away; shut down.
        }
        System.exit(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
