package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.transformer.serving.ModelServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * <h2>serving: a model behind an HTTP endpoint</h2>
 *
 * <p>A trained model is useful once other programs can ask it questions. The chapter puts the
 * MNIST MLP behind {@code POST /predict} on the JDK's own HTTP server, bound to the loopback
 * address 127.0.0.1 ({@link ModelServer}): a JSON body {@code {"input": [784 pixels]}} in,
 * {@code {"output": [10 logits], "class": k}} out.
 *
 * <p>Serving is a queueing problem. Each forward pass has a fixed cost (threads, memory traffic
 * for the weights) plus a cost per row; stacking the requests that arrive close together into
 * one {@code (n, 784)} product spreads the fixed cost (dynamic batching, as in Triton or
 * TensorFlow Serving; Crankshaw et al., "Clipper", NSDI 2017, section 4.3 on adaptive batching).
 * The price is latency: a request may wait up to {@code max-wait} milliseconds for company.
 *
 * <p>A bounded closed-loop load test runs from the chapter itself: {@code clients} threads each
 * send a request, wait for the answer, and send the next, until {@code requests} have been
 * answered. It runs twice, against a server that batches (up to 32 requests, waiting at most
 * 2 ms) and one that does not. Then bad requests are sent, each of which must get a 4xx with a
 * message, and the server is stopped.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table of p50 and p99 latency and throughput. On a quiet 2-core machine (seed 42,
 *       default run, 16 clients, 2,000 requests): batching p50 47.6 ms, p99 55.1 ms, 339
 *       requests/s with 3.3 requests per forward pass; no batching p50 44.0 ms, p99 48.6 ms, 359
 *       requests/s. Batching does not pay here: parsing 784 numbers of JSON and the HTTP round
 *       trip cost far more than this small MLP's forward pass, so sharing the pass saves little
 *       and the batching wait adds latency. It pays when the model dominates (exercise 2).</li>
 *   <li>The bad requests: malformed JSON, a wrong input length, an oversized body, an unknown
 *       path, a wrong method: each gets its 4xx and a JSON error naming the problem.</li>
 *   <li>{@code throughput.png}: requests per second with and without batching.</li>
 * </ul>
 * With {@code --quick}: a model trained on 5,000 images and 300 requests per load test.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --clients 1}: with one request at a time, what does batching buy?</li>
 *   <li>Run with {@code --max-wait 20}: how do p50 and throughput move? Then imagine a model 100
 *       times costlier per pass: which server wins?</li>
 *   <li>Send the same image twice: are the answers identical? Why must they be?</li>
 * </ol>
 */
public final class ServingChapter implements Chapter {
    @Override
    public String id() {
        return "serving";
    }

    @Override
    public Part part() {
        return Part.EFFICIENCY;
    }

    @Override
    public String summary() {
        return "an MNIST MLP behind an HTTP endpoint on 127.0.0.1: batching, p50/p99 latency, throughput, clear 4xx";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("clients", "16", "concurrent client threads in the load test"),
                Option.value("requests", "2000", "requests per load test (300 with --quick)"),
                Option.value("max-wait", "2", "milliseconds a batch waits to fill"));
    }

    /** One load test's figures. */
    record Load(double p50Ms, double p99Ms, double perSecond, double perBatch, int correct, int answered) {
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        TrainedMlp trained = TrainedMlp.train(ctx, TrainedMlp.SIZES, ctx.quick() ? 5_000 : 20_000, 1_000, ctx.rng());
        trained.model().eval();
        int requests = ctx.quick() ? 300 : ctx.intOption("requests");
        int clients = ctx.intOption("clients");
        List<String> bodies = bodies(trained.test());
        ModelServer.Config batching = new ModelServer.Config(32, ctx.intOption("max-wait"), 1 << 16);
        ModelServer.Config single = new ModelServer.Config(1, 0, 1 << 16);
        // warm the JIT and the HTTP stack first, so that neither measured run pays for compilation
        load(ctx, "warm-up (not counted)", trained, single, bodies, Math.min(300, requests), clients);
        Load with = load(ctx, "with batching (up to 32, " + batching.maxWaitMillis() + " ms)", trained, batching, bodies,
                requests, clients);
        Load without = load(ctx, "without batching", trained, single, bodies, requests, clients);
        ctx.section("load test: " + requests + " requests from " + clients + " clients on 127.0.0.1");
        ctx.table(List.of("server", "p50 ms", "p99 ms", "requests/s", "requests per forward", "correct"),
                List.of(row("batching", with), row("no batching", without)));
        new BarChart("Throughput of the model server (closed loop, " + clients + " clients)", "server", "requests/s")
                .categories(List.of("batching", "no batching"))
                .series("requests/s", new double[] {with.perSecond(), without.perSecond()})
                .save(ctx.outFile("throughput.png"));
        int rejected = badRequests(ctx, trained);
        ctx.println("picture: throughput.png in " + ctx.outDir());
        return new Result()
                .metric("batched_p50_ms", with.p50Ms()).metric("batched_p99_ms", with.p99Ms())
                .metric("batched_per_second", with.perSecond()).metric("batched_requests_per_forward", with.perBatch())
                .metric("single_p50_ms", without.p50Ms()).metric("single_p99_ms", without.p99Ms())
                .metric("single_per_second", without.perSecond())
                .metric("answered", with.answered() + without.answered())
                .metric("served_accuracy", (with.correct() + without.correct()) / (double) (with.answered() + without.answered()))
                .metric("bad_requests_rejected_4xx", rejected);
    }

    /** One JSON body per test image, and its label, cycling. */
    private static List<String> bodies(Digits.Data test) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(200, test.size()); i++) {
            float[] px = test.image(i).reshape(Digits.PIXELS).toArray();
            StringBuilder sb = new StringBuilder("{\"input\": [");
            for (int j = 0; j < px.length; j++) {
                sb.append(j == 0 ? "" : ",").append(px[j] == 0 ? "0" : String.format(Locale.ROOT, "%.4f", px[j]));
            }
            out.add(sb.append("]}").toString());
        }
        return out;
    }

    private static Load load(ChapterContext ctx, String name, TrainedMlp trained, ModelServer.Config config,
                             List<String> bodies, int requests, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        double[] latencies = new double[requests];
        int[] correct = new int[1];
        long start;
        long end;
        double perBatch;
        try (ModelServer server = new ModelServer(trained.model(), Digits.PIXELS, config, 0)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/predict");
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        int image = i % bodies.size();
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(image))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies[i] = (System.nanoTime() - t) / 1e6;
                        if (r.statusCode() == 200 && r.body().endsWith("\"class\":" + trained.test().label(image) + "}")) {
                            synchronized (correct) {
                                correct[0]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            end = System.nanoTime();
            pool.shutdown();
            perBatch = (double) server.requests() / Math.max(1, server.batches());
        }
        Arrays.sort(latencies);
        Load l = new Load(latencies[requests / 2], latencies[Math.min(requests - 1, (int) Math.ceil(0.99 * requests) - 1)],
                requests / ((end - start) / 1e9), perBatch, correct[0], requests);
        ctx.printf("%s: p50 %.2f ms, p99 %.2f ms, %.0f requests/s, %.1f requests per forward pass%n", name, l.p50Ms(),
                l.p99Ms(), l.perSecond(), l.perBatch());
        return l;
    }

    private static List<String> row(String name, Load l) {
        return List.of(name, String.format(Locale.ROOT, "%.2f", l.p50Ms()), String.format(Locale.ROOT, "%.2f", l.p99Ms()),
                String.format(Locale.ROOT, "%.0f", l.perSecond()), String.format(Locale.ROOT, "%.1f", l.perBatch()),
                String.format(Locale.ROOT, "%d/%d", l.correct(), l.answered()));
    }

    /** Sends five kinds of bad request; returns how many got a 4xx. */
    private static int badRequests(ChapterContext ctx, TrainedMlp trained) throws Exception {
        ctx.section("bad requests");
        HttpClient http = HttpClient.newHttpClient();
        int rejected = 0;
        try (ModelServer server = new ModelServer(trained.model(), Digits.PIXELS, new ModelServer.Config(32, 2, 1 << 14), 0)) {
            String base = "http://127.0.0.1:" + server.port();
            String[][] cases = {
                    {"POST", "/predict", "{\"input\": [0.5, "}, {"POST", "/predict", "{\"input\": [0.5, 0.25]}"},
                    {"POST", "/predict", "{\"input\": [" + "0,".repeat(9000) + "0]}"}, {"POST", "/classify", "{}"},
                    {"GET", "/predict", null}};
            for (String[] c : cases) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c[1]));
                b = c[2] == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(c[2]));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                rejected += r.statusCode() >= 400 && r.statusCode() < 500 ? 1 : 0;
                String shown = c[2] == null ? "" : c[2].length() > 30 ? c[2].substring(0, 30) + "..." : c[2];
                ctx.printf("%-4s %-9s %-34s -> %d %s%n", c[0], c[1], shown, r.statusCode(),
                        r.body().length() > 90 ? r.body().substring(0, 90) + "..." : r.body());
            }
        }
        ctx.println("server stopped");
        return rejected;
    }
}
