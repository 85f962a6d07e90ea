package dev.oneshot.app.experiments;

import dev.oneshot.app.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code oneshot bench}'s allocation per training step in one JVM, before and after a JFR
 * recording is started and stopped — the first class retransformation of the JVM's life, which
 * makes HotSpot throw away every compiled method (an agent attaching, a profiler, Jazzer do the
 * same). The kernels are compiled again afterwards; on JDK 17 the new code of some of them misses
 * Vector API intrinsics and allocates for the rest of the JVM's life — unless
 * {@code -XX:PerMethodRecompilationCutoff} is raised (4000) — and on JDK 25 it does not
 * (docs/benchmarks.md, round 3, parts 19 and 20). A measurement, run by hand; BenchCommandTest runs it
 * with the raised cutoff and asserts the steps stay allocation-free.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "$(cat app/target/test-classpath.txt)" \
 *     dev.oneshot.app.experiments.BenchAfterAgent [ROUNDS]
 * </pre>
 */
public final class BenchAfterAgent {
    private static final Pattern KEY = Pattern.compile("\"(alloc_mb_per_step|conv4_alloc_mb_per_step|triplet_step_ms"
            + "|conv4_step_ms)\":([0-9.]+)");

    private BenchAfterAgent() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        System.out.println("java " + System.getProperty("java.version"));
        bench("fresh JVM");
        jdk.jfr.Recording r = new jdk.jfr.Recording();
        r.start();
        r.stop();
        r.close();
        for (int i = 1; i <= rounds; i++) {
            bench("after a JFR recording started, round " + i);
        }
    }

    private static void bench(String when) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder(when + ":");
        Matcher m = KEY.matcher(out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            line.append(' ').append(m.group(1)).append('=').append(m.group(2));
        }
        System.out.println(code == 0 ? line : when + ": bench failed (" + code + ")");
    }
}
