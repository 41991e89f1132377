package dev.gradbook.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH result files ({@code -rf csv}) and, optionally, the PyTorch scripts' CSV into the
 * Markdown tables of {@code benchmarks/README.md}:
 * <pre>
 *   java -cp target/benchmarks.jar dev.gradbook.benchmarks.Report [--torch torch.csv] [--peak-per-core GFLOPS] jmh.csv...
 * </pre>
 * Matrix products get GFLOP/s ({@code 2 m n k / time}), the share of the peak of the cores they
 * use, and the ratio to PyTorch's GFLOP/s with the same thread count. Training steps get the
 * median time, the bytes allocated per step (when JMH ran with {@code -prof gc}) and the ratio to
 * PyTorch's median time. The per-core peak is {@code --peak-per-core}, else the
 * {@link FmaPeakBenchmark} result in the file.
 *
 * <p>PyTorch CSV columns: {@code benchmark,shape,threads,median_ms,torch}, with {@code benchmark}
 * one of {@code matmul}, {@code mlp_step}, {@code gpt_step} and {@code torch} the build that ran
 * it (see {@code benchmarks/pytorch/}). When several builds ran, the ratios use the fastest for
 * each row, and a last table lists them all.
 */
public final class Report {

    private static final String PREFIX = "dev.gradbook.benchmarks.";
    /** MatmulBenchmark's methods, from the textbook loop to the library call. */
    private static final List<String> IMPLEMENTATIONS = List.of("loops", "ejml", "ejmlThreads", "simdOneThread",
            "simdAllThreads", "tensorMatmul");

    /** One JMH result line: the benchmark, its secondary metric ("" for the primary), score, unit and params. */
    record Result(String benchmark, String metric, double score, String unit, Map<String, String> params) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private final List<Result> results;
    private final List<TorchResult> torchResults;
    /** The fastest PyTorch build's median for each {@link #torchKey}. */
    private final Map<String, Double> torchMs = new LinkedHashMap<>();
    private final double peakPerCore;
    private final int cores = Runtime.getRuntime().availableProcessors();

    /** One line of the PyTorch scripts' CSV. */
    record TorchResult(String benchmark, String shape, int threads, double ms, String build) {
        String key() {
            return torchKey(benchmark, shape, threads);
        }
    }

    private Report(List<Result> results, List<TorchResult> torchResults, double peakPerCore) {
        this.results = results;
        this.torchResults = torchResults;
        for (TorchResult t : torchResults) {
            torchMs.merge(t.key(), t.ms(), Math::min);
        }
        this.peakPerCore = peakPerCore;
    }

    public static void main(String[] args) throws IOException {
        List<Result> results = new ArrayList<>();
        List<TorchResult> torch = new ArrayList<>();
        double peak = Double.NaN;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--peak-per-core") && i + 1 < args.length) {
                peak = Double.parseDouble(args[++i]);
            } else if (args[i].equals("--torch") && i + 1 < args.length) {
                torch.addAll(readTorch(Path.of(args[++i])));
            } else if (args[i].startsWith("--")) {
                System.err.println("usage: Report [--torch torch.csv] [--peak-per-core GFLOPS] jmh.csv...");
                System.exit(2);
            } else {
                results.addAll(readJmh(Path.of(args[i])));
            }
        }
        if (Double.isNaN(peak)) {
            peak = results.stream().filter(r -> r.benchmark().equals("FmaPeakBenchmark.fmaChains")
                    && r.metric().equals("flops")).mapToDouble(Result::score).findFirst().orElse(Double.NaN);
        }
        new Report(results, torch, peak).print();
    }

    private void print() {
        System.out.printf(Locale.ROOT, "Per-core float32 peak: %.0f GFLOP/s; %d cores.%n%n", peakPerCore, cores);
        printMatmul();
        System.out.println();
        printSteps();
        if (!torchResults.isEmpty()) {
            System.out.println();
            printTorchBuilds();
        }
    }

    private void printMatmul() {
        System.out.println("| shape (m x k x n) | implementation | threads | time (us) | GFLOP/s | % of peak "
                + "| PyTorch GFLOP/s | vs PyTorch |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        List<Result> products = new ArrayList<>(primary("MatmulBenchmark."));
        List<String> shapes = products.stream().map(r -> r.param("shape")).distinct().toList();
        products.sort(Comparator.comparingInt((Result r) -> shapes.indexOf(r.param("shape")))
                .thenComparingInt(r -> IMPLEMENTATIONS.indexOf(implementation(r))));
        for (Result r : products) {
            String implementation = implementation(r);
            int threads = matmulThreads(implementation);
            double gflops = Shapes.flops(r.param("shape")) / (r.score() * 1e3);
            Double torch = torchMs.get(torchKey("matmul", r.param("shape"), threads));
            double torchGflops = torch == null ? Double.NaN : Shapes.flops(r.param("shape")) / (torch * 1e6);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %s | %s | %s |%n",
                    shapeLabel(r.param("shape")), implementation, threads, r.score(), gflops,
                    number(100 * gflops / (threads * peakPerCore), "%.0f%%"), number(torchGflops, "%.1f"),
                    number(gflops / torchGflops, "%.2fx"));
        }
    }

    private void printSteps() {
        System.out.println("| training step | threads | median (ms) | bytes/step | PyTorch median (ms) "
                + "| time / PyTorch |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Result r : primary("")) {
            String torchName = r.benchmark().startsWith("MlpStepBenchmark.") ? "mlp_step"
                    : r.benchmark().startsWith("GptStepBenchmark.") ? "gpt_step" : null;
            if (torchName == null) {
                continue;
            }
            int threads = r.param("threads").isEmpty() ? 1 : Integer.parseInt(r.param("threads"));
            double median = secondary(r, "p0.50");
            Double torch = torchMs.get(torchKey(torchName, "", threads));
            String name = r.benchmark() + (r.param("fused").isEmpty() ? "" : " (fused=" + r.param("fused") + ")");
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %s | %s | %s |%n", name, threads, median,
                    number(secondary(r, "gc.alloc.rate.norm"), "%,.0f"), number(torch == null ? Double.NaN : torch,
                            "%.3f"), number(torch == null ? Double.NaN : median / torch, "%.2fx"));
        }
    }

    private void printTorchBuilds() {
        List<String> builds = torchResults.stream().map(TorchResult::build).distinct().toList();
        System.out.println("| PyTorch (median ms) | threads | " + String.join(" | ", builds) + " |");
        System.out.println("|---|---:|" + "---:|".repeat(builds.size()));
        for (String key : torchMs.keySet()) {
            TorchResult any = torchResults.stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
            StringBuilder line = new StringBuilder("| " + any.benchmark()
                    + (any.shape().isEmpty() ? "" : " " + shapeLabel(any.shape())) + " | " + any.threads() + " |");
            for (String build : builds) {
                double ms = torchResults.stream().filter(t -> t.key().equals(key) && t.build().equals(build))
                        .mapToDouble(TorchResult::ms).findFirst().orElse(Double.NaN);
                line.append(' ').append(number(ms, "%.3f")).append(" |");
            }
            System.out.println(line);
        }
    }

    private List<Result> primary(String prefix) {
        return results.stream().filter(r -> r.metric().isEmpty() && r.benchmark().startsWith(prefix)).toList();
    }

    /** The secondary metric {@code metric} of the same benchmark and params, or NaN. */
    private double secondary(Result primary, String metric) {
        return results.stream()
                .filter(r -> r.benchmark().equals(primary.benchmark()) && r.metric().equals(metric)
                        && r.params().equals(primary.params()))
                .mapToDouble(Result::score).findFirst().orElse(Double.NaN);
    }

    private static String implementation(Result matmul) {
        return matmul.benchmark().substring("MatmulBenchmark.".length());
    }

    private int matmulThreads(String implementation) {
        return switch (implementation) {
            case "loops", "ejml", "simdOneThread" -> 1;
            default -> cores;
        };
    }

    private static String torchKey(String benchmark, String shape, int threads) {
        return benchmark + "/" + shape + "/" + threads;
    }

    private static String shapeLabel(String shape) {
        int[] mkn = Shapes.parse(shape);
        return mkn[0] + " x " + mkn[1] + " x " + mkn[2];
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    // ------------------------------------------------------------ reading

    /** JMH's CSV: Benchmark, Mode, Threads, Samples, Score, Score Error, Unit, then "Param: name" columns. */
    static List<Result> readJmh(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = splitCsv(lines.get(0));
        List<Result> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = splitCsv(line);
            String name = cells.get(0).startsWith(PREFIX) ? cells.get(0).substring(PREFIX.length()) : cells.get(0);
            int colon = name.indexOf(':');
            String benchmark = colon < 0 ? name : name.substring(0, colon);
            // older JMH versions put a middle dot before secondary metrics ("·gc.alloc.rate.norm")
            String metric = colon < 0 ? "" : name.substring(colon + 1).replace("\u00b7", "");
            Map<String, String> params = new LinkedHashMap<>();
            for (int c = 7; c < header.size() && c < cells.size(); c++) {
                if (!cells.get(c).isEmpty()) {
                    params.put(header.get(c).replace("Param: ", ""), cells.get(c));
                }
            }
            out.add(new Result(benchmark, metric, Double.parseDouble(cells.get(4)), cells.get(6), params));
        }
        return out;
    }

    /** The PyTorch scripts' CSV. */
    static List<TorchResult> readTorch(Path file) throws IOException {
        List<TorchResult> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = splitCsv(line);
            String build = cells.size() > 4 ? cells.get(4) : "torch";
            out.add(new TorchResult(cells.get(0), cells.get(1), Integer.parseInt(cells.get(2)),
                    Double.parseDouble(cells.get(3)), build));
        }
        return out;
    }

    /** Splits one CSV line at commas outside double quotes, and unquotes the cells. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
