package dev.oneshot.benchmarks;

/**
 * JVM options every fork of a Vector API benchmark starts with: the ones {@code ./oneshot} passes, so
 * a fork measures the code a user's run gets. On JDK 17 the two {@code -XX} limits keep C2 from
 * compiling a kernel into code that allocates every vector, which it otherwise does now and then in
 * a fresh JVM (docs/benchmarks.md, round 3, part 21).
 */
final class ForkOptions {
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    static final String RECOMPILATION_CUTOFF = "-XX:PerMethodRecompilationCutoff=4000";
    static final String TRAP_LIMIT = "-XX:PerMethodTrapLimit=10000";

    private ForkOptions() {
    }
}
