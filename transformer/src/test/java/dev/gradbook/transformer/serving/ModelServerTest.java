package dev.gradbook.transformer.serving;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.io.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersGoodRequestsWithTheModelsOutput() throws Exception {
        Linear model = new Linear(3, 2, new Rng(1));
        try (ModelServer server = new ModelServer(model, 3, ModelServer.Config.DEFAULT, 0)) {
            HttpResponse<String> r = send(server.port(), "POST", "/predict", "{\"input\": [1, -0.5, 2]}");
            assertEquals(200, r.statusCode(), r.body());
            Map<?, ?> json = (Map<?, ?>) Json.parse(r.body());
            List<?> out = (List<?>) json.get("output");
            Tensor expected = model.forward(Tensor.of(new float[] {1, -0.5f, 2}, 1, 3));
            assertEquals(expected.get(0, 0), ((Number) out.get(0)).doubleValue(), 1e-6);
            assertEquals(expected.get(0, 1), ((Number) out.get(1)).doubleValue(), 1e-6);
            assertEquals((long) expected.argmax(), json.get("class"));
            assertEquals(200, send(server.port(), "GET", "/health", null).statusCode());
        }
    }

    @Test
    void badRequestsGetAClear4xx() throws Exception {
        ModelServer.Config small = new ModelServer.Config(8, 2, 256);
        try (ModelServer server = new ModelServer(new Linear(3, 2, new Rng(1)), 3, small, 0)) {
            int port = server.port();
            assertStatus(400, "malformed JSON", send(port, "POST", "/predict", "{\"input\": [1, 2,"));
            assertStatus(400, "wrong shape", send(port, "POST", "/predict", "{\"input\": [1, 2]}"));
            assertStatus(400, "expected", send(port, "POST", "/predict", "[1, 2, 3]"));
            assertStatus(400, "not a finite number", send(port, "POST", "/predict", "{\"input\": [1, \"x\", 3]}"));
            assertStatus(413, "larger than 256", send(port, "POST", "/predict", "{\"input\": [" + "1,".repeat(300) + "1]}"));
            assertStatus(404, "no such path", send(port, "POST", "/nowhere", "{}"));
            assertStatus(405, "takes POST", send(port, "GET", "/predict", null));
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndAllAnswered() throws Exception {
        ModelServer.Config batching = new ModelServer.Config(16, 20, 1 << 12);
        try (ModelServer server = new ModelServer(new Linear(4, 3, new Rng(2)), 4, batching, 0)) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": [" + i + ", 1, 2, 3]}")).build();
                all.add(CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                assertEquals(200, f.get().statusCode());
            }
            assertEquals(32, server.requests());
            assertTrue(server.batches() < 32, "some requests shared a forward pass: " + server.batches() + " batches");
        }
    }

    @Test
    void closeStopsListening() throws Exception {
        ModelServer server = new ModelServer(new Linear(3, 2, new Rng(1)), 3, ModelServer.Config.DEFAULT, 0);
        int port = server.port();
        server.close();
        assertThrows(java.io.IOException.class, () -> send(port, "GET", "/health", null));
        assertThrows(IllegalArgumentException.class, () -> new ModelServer.Config(0, 1, 100));
    }

    private static void assertStatus(int status, String fragment, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(fragment), r.body());
        assertTrue(Json.parse(r.body()) instanceof Map<?, ?>, "errors are JSON");
    }
}
