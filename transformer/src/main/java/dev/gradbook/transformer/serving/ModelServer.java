package dev.gradbook.transformer.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A model behind an HTTP endpoint, on the JDK's own {@link HttpServer}, listening on the loopback
 * address only. {@code POST /predict} with {@code {"input": [x_1, ..., x_D]}} answers
 * {@code {"output": [y_1, ..., y_K], "class": argmax}}; {@code GET /health} answers
 * {@code {"status": "ok"}}.
 *
 * <p>Requests are batched (dynamic batching, as in NVIDIA's Triton or TensorFlow Serving): each
 * request waits in a queue; one worker takes up to {@code maxBatch} of them, waiting at most
 * {@code maxWaitMillis} for more after the first, stacks them into one {@code (n, D)} tensor and
 * runs a single forward pass. One product of n rows costs far less than n products of one row,
 * so under load throughput rises, at the price of a small wait for the first request of a batch.
 * {@link Batcher} does this; with {@code maxBatch = 1} every request runs alone.
 *
 * <p>Bad requests get a 4xx and a JSON {@code {"error": "..."}} naming the problem, before any
 * work: 404 unknown path, 405 wrong method, 413 body larger than {@code maxBodyBytes}, 400
 * malformed JSON or an input of the wrong shape. {@link #close} stops accepting, answers what is
 * queued and stops the worker.
 */
public final class ModelServer implements AutoCloseable {
    /** Limits: requests per batch, how long a batch waits to fill, the largest body accepted. */
    public record Config(int maxBatch, long maxWaitMillis, int maxBodyBytes) {
        public static final Config DEFAULT = new Config(32, 2, 1 << 16);

        public Config {
            if (maxBatch < 1 || maxWaitMillis < 0 || maxBodyBytes < 16) {
                throw new IllegalArgumentException("ModelServer.Config: need maxBatch >= 1, maxWaitMillis >= 0, "
                        + "maxBodyBytes >= 16, got " + maxBatch + ", " + maxWaitMillis + ", " + maxBodyBytes);
            }
        }
    }

    private final Layer model;
    private final int inputSize;
    private final Config config;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final Batcher batcher;

    /** Starts serving {@code model}, which maps {@code (n, inputSize)} to {@code (n, K)}, on {@code port} (0: any free port). */
    public ModelServer(Layer model, int inputSize, Config config, int port) throws IOException {
        this.model = model;
        this.inputSize = inputSize;
        this.config = config;
        this.batcher = new Batcher(this::forward, config.maxBatch(), config.maxWaitMillis());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.handlers = Executors.newFixedThreadPool(8);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port the server listens on (useful when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many forward passes ran and how many requests they answered. */
    public long batches() {
        return batcher.batches();
    }

    public long requests() {
        return batcher.requests();
    }

    private Tensor forward(Tensor x) {
        try (var noGrad = Autograd.noGrad()) {
            return model.forward(x);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health")) {
                reply(ex, method.equals("GET") ? 200 : 405, method.equals("GET") ? Map.of("status", "ok")
                        : Map.of("error", "/health takes GET, not " + method));
            } else if (!path.equals("/predict")) {
                reply(ex, 404, Map.of("error", "no such path: " + path + " (try POST /predict or GET /health)"));
            } else if (!method.equals("POST")) {
                reply(ex, 405, Map.of("error", "/predict takes POST, not " + method));
            } else {
                predict(ex);
            }
        } catch (RuntimeException e) {
            reply(ex, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void predict(HttpExchange ex) throws IOException {
        byte[] body = readAtMost(ex.getRequestBody(), config.maxBodyBytes() + 1);
        if (body.length > config.maxBodyBytes()) {
            reply(ex, 413, Map.of("error", "body larger than " + config.maxBodyBytes() + " bytes"));
            return;
        }
        float[] input;
        try {
            input = RequestFormat.parseInput(new String(body, StandardCharsets.UTF_8), inputSize);
        } catch (IllegalArgumentException e) {
            reply(ex, 400, Map.of("error", e.getMessage()));
            return;
        }
        float[] output;
        try {
            output = batcher.submit(input).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            reply(ex, 503, Map.of("error", "the model did not answer in time or the server is stopping"));
            return;
        }
        reply(ex, 200, RequestFormat.answer(output));
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }

    private static void reply(HttpExchange ex, int status, Map<String, ?> json) throws IOException {
        byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting connections, finishes queued requests, stops the worker and the handler threads. */
    @Override
    public void close() {
        server.stop(0);
        batcher.close();
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
