package dev.jeton.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A Redis Cluster of 3 primaries and 3 replicas on loopback ports, started for one test class in a temporary
 * directory ({@code redis-server --cluster-enabled yes}, then {@code redis-cli --cluster create}) and stopped after it.
 * Without {@code redis-server} or {@code redis-cli} the tests are skipped, and fail when {@code JETON_REQUIRE_RESOURCES=true}.
 */
final class TestCluster implements AutoCloseable {

    private static final int NODES = 6;
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path dir;
    final List<Integer> ports;
    private final Map<Integer, RedisClient> admins = new LinkedHashMap<>();
    private final Map<Integer, StatefulRedisConnection<String, String>> adminConnections = new LinkedHashMap<>();
    private final List<RedisClusterClient> clients = new ArrayList<>();

    private TestCluster(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    /** Starts the cluster and waits until every node says {@code cluster_state:ok} and every replica is in sync. */
    static TestCluster start() {
        for (String tool : List.of("redis-server", "redis-cli")) {
            try {
                if (run(List.of(tool, "--version")) != 0) {
                    TestRedis.unavailable(tool + " does not run", null);
                }
            } catch (IOException e) {
                TestRedis.unavailable(tool + " is not installed", e);
            }
        }
        TestCluster cluster;
        try {
            cluster = new TestCluster(Files.createTempDirectory("jeton-redis-cluster"), freePorts());
            cluster.launch();
        } catch (IOException e) {
            throw new AssertionError("starting the test cluster failed", e);
        }
        return cluster;
    }

    private static List<Integer> freePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 29_000);
            List<Integer> ports = new ArrayList<>();
            for (int port = base; port < base + NODES; port++) {
                if (free(port) && free(port + 10_000)) {
                    ports.add(port);
                }
            }
            if (ports.size() == NODES) {
                return ports;
            }
        }
        throw new IOException("no " + NODES + " free loopback ports (and their cluster bus ports) found");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void launch() throws IOException {
        for (int port : ports) {
            int exit = run(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "3000", "--save", "", "--appendonly", "no", "--daemonize", "yes",
                    "--dir", dir.toString(), "--logfile", dir.resolve(port + ".log").toString(),
                    "--pidfile", dir.resolve(port + ".pid").toString()));
            if (exit != 0) {
                throw new AssertionError("redis-server on port " + port + " exited with " + exit);
            }
        }
        for (int port : ports) {
            awaitTrue(() -> "PONG".equals(admin(port).ping()), "node " + port + " to answer");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        if (run(create) != 0) {
            throw new AssertionError("redis-cli --cluster create failed; see " + dir);
        }
        awaitHealthy();
    }

    /** Waits until every node says the cluster is ok and sees all nodes, and every replica is in sync. */
    void awaitHealthy() {
        for (int port : ports) {
            awaitTrue(() -> admin(port).clusterInfo().contains("cluster_state:ok")
                    && admin(port).clusterNodes().lines().filter(l -> !l.contains("fail")).count() == NODES,
                    "node " + port + " to see a healthy cluster");
        }
        for (int port : ports) {
            awaitTrue(() -> {
                String replication = admin(port).info("replication");
                return replication.contains("role:master") || replication.contains("master_link_status:up");
            }, "node " + port + " to be in sync");
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + READY.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    private static int run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }

    /** A direct connection to one node, for administration. */
    synchronized RedisCommands<String, String> admin(int port) {
        RedisClient client = admins.computeIfAbsent(port, p -> {
            RedisURI uri = RedisURI.create("127.0.0.1", p);
            uri.setTimeout(Duration.ofSeconds(10));
            return RedisClient.create(uri);
        });
        return adminConnections.computeIfAbsent(port, p -> client.connect()).sync();
    }

    /** A new cluster client with adaptive topology refresh, closed with the cluster. */
    synchronized StatefulRedisClusterConnection<String, String> connect() {
        List<RedisURI> seeds = new ArrayList<>();
        for (int port : ports) {
            RedisURI uri = RedisURI.create("127.0.0.1", port);
            uri.setTimeout(Duration.ofSeconds(10));
            seeds.add(uri);
        }
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                .enablePeriodicRefresh(Duration.ofSeconds(1)).build()).build());
        clients.add(client);
        return client.connect();
    }

    /** The port of the primary that serves {@code key}'s slot now. */
    int primaryOf(String key) {
        int slot = SlotHash.getSlot(key);
        for (int port : ports) {
            for (String line : admin(port).clusterNodes().lines().toList()) {
                String[] fields = line.split(" ");
                if (fields[2].contains("myself") && fields[2].contains("master")) {
                    for (int k = 8; k < fields.length; k++) {
                        String[] range = fields[k].split("-");
                        if (range[0].startsWith("[")) {
                            continue;
                        }
                        int low = Integer.parseInt(range[0]);
                        int high = range.length > 1 ? Integer.parseInt(range[1]) : low;
                        if (slot >= low && slot <= high) {
                            return port;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no primary serves slot " + slot);
    }

    /** The port of a replica of the primary on {@code primaryPort}. */
    int replicaOf(int primaryPort) {
        String primaryId = admin(primaryPort).clusterMyId();
        for (int port : ports) {
            if (port != primaryPort && admin(port).info("replication").contains("role:slave")
                    && admin(port).clusterNodes().lines().anyMatch(l -> l.contains("myself")
                    && l.contains(primaryId))) {
                return port;
            }
        }
        throw new AssertionError("the primary on " + primaryPort + " has no replica");
    }

    /** The ports of the current primaries. */
    List<Integer> primaries() {
        return ports.stream().filter(port -> {
            try {
                return admin(port).info("replication").contains("role:master");
            } catch (RuntimeException e) {
                return false;
            }
        }).toList();
    }

    /** The process id of the node on {@code port}. */
    long pid(int port) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(port + ".pid")).trim());
    }

    @Override
    public void close() {
        clients.forEach(RedisClusterClient::shutdown);
        adminConnections.values().forEach(StatefulRedisConnection::close);
        admins.values().forEach(RedisClient::shutdown);
        for (int port : ports) {
            try {
                ProcessHandle.of(pid(port)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException | RuntimeException e) {
                // Already gone, or never started.
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind harms nothing.
        }
    }
}
