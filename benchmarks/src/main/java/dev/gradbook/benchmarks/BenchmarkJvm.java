package dev.gradbook.benchmarks;

/**
 * The options every forked benchmark JVM gets: the Vector API module, without which Gradbook has
 * no SIMD kernel, and no notice about the kernel choice on the benchmark's output.
 *
 * <p>They go in {@code @Fork(jvmArgsPrepend = ...)}, not {@code jvmArgsAppend}, because JMH's
 * command-line {@code -jvmArgsAppend} replaces the annotation's list instead of adding to it: kept
 * apart, {@code -jvmArgsAppend "-XX:StartFlightRecording=..."} adds a profiler and the module
 * stays. (A command-line {@code -jvmArgsPrepend} or {@code -jvmArgs} would drop them.)
 */
final class BenchmarkJvm {

    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    static final String QUIET = "-Dgradbook.quiet=true";

    private BenchmarkJvm() {
    }
}
