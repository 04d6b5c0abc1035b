package dev.jeton.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a database server that counts round trips as the network sees them: a round trip starts
 * each time the client sends after the server last spoke (however many packets either side's message takes). Whatever
 * a driver sends on its own (a {@code SET autocommit}, a validation ping) counts too, which a count of JDBC calls
 * would miss. The count is recorded before the bytes are forwarded, so it is exact for a client that waits for each
 * answer, as JDBC does.
 */
final class WireProxy implements AutoCloseable {

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "wire-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundTrips = new AtomicInteger();

    WireProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Round trips since the last {@link #reset}. */
    int roundTrips() {
        return roundTrips.get();
    }

    void reset() {
        roundTrips.set(0);
    }

    private Void accept() throws IOException {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return null;
            }
            Socket upstream = new Socket(host, port);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            sockets.add(client);
            sockets.add(upstream);
            boolean[] clientSpokeLast = new boolean[1];
            threads.submit(() -> pump(client.getInputStream(), upstream.getOutputStream(), () -> {
                synchronized (clientSpokeLast) {
                    if (!clientSpokeLast[0]) {
                        roundTrips.incrementAndGet();
                        clientSpokeLast[0] = true;
                    }
                }
            }));
            threads.submit(() -> pump(upstream.getInputStream(), client.getOutputStream(), () -> {
                synchronized (clientSpokeLast) {
                    clientSpokeLast[0] = false;
                }
            }));
        }
        return null;
    }

    private static Void pump(InputStream in, OutputStream out, Runnable onData) {
        byte[] buffer = new byte[65536];
        try (in; out) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                onData.run();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // Either side hung up: the other pump ends with it.
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
