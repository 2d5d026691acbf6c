import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Throwaway Neo4j 5.26 (embedded DBMS + Bolt) for the test suite, so tests talk to a real
 * server over Bolt without Docker or a Neo4j tarball.
 *
 * <p>Run as a Java 17 single-file program (no build step):
 * {@code java -cp 'tools/neo4j/lib/*' tools/neo4j/Neo4jTestServer.java --home DIR --port PORT}
 *
 * <p>Options: {@code --home DIR} (store, logs; created), {@code --port PORT} (Bolt, 127.0.0.1),
 * {@code --pagecache-mb N} (default 256), {@code --tx-timeout-s N} (default 300; 0 = none; the
 * driver's per-transaction timeouts still apply), {@code --watch-stdin} (exit when stdin closes,
 * so a crashed parent cannot orphan the JVM).
 *
 * <p>Prints {@code READY bolt://127.0.0.1:PORT} on stdout once the default database is available;
 * shuts the DBMS down cleanly on SIGTERM/SIGINT or stdin EOF (with --watch-stdin).
 */
public final class Neo4jTestServer {
    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        long pagecacheMb = 256;
        long txTimeoutS = 300;
        boolean watchStdin = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--pagecache-mb" -> pagecacheMb = Long.parseLong(args[++i]);
                case "--tx-timeout-s" -> txTimeoutS = Long.parseLong(args[++i]);
                case "--watch-stdin" -> watchStdin = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("usage: Neo4jTestServer --home DIR [--port PORT] [--pagecache-mb N]"
                    + " [--tx-timeout-s N] [--watch-stdin]");
            System.exit(2);
        }
        home = home.toAbsolutePath();
        Files.createDirectories(home);

        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutS))
                // Test stores are tiny and short-lived: don't preallocate 250 MB tx logs.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Netty's default 5 s quiet period makes every shutdown 5 s slower for nothing.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                // LOAD CSV reads neither the server's files nor any URL (as docker-compose.yml)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                // one transaction may hold 1 GiB, as compose: a huge read fails, the JVM lives
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.gibiBytes(1))
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        java.util.List.of(new inet.ipaddr.IPAddressString("0.0.0.0/0"),
                                          new inet.ipaddr.IPAddressString("::/0")))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-test-server-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofSeconds(120).toMillis())) {
            System.err.println("default database did not become available within 120 s");
            System.exit(1);
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // discard; we only care about EOF
                    }
                } catch (Exception ignored) {
                    // a broken pipe means the parent is gone, same as EOF
                }
                System.exit(0); // runs the shutdown hook
            }, "neo4j-test-server-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await(); // keep main alive; exit happens via the shutdown hook
    }
}
