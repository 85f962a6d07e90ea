package dev.oneshot.core.kernels;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two HotSpot limits {@code ./oneshot} raises for the Vector API kernels. JDK 17's C2 sums, over
 * every method a kernel inlines, the traps and the recompilations on record; past
 * {@code PerMethodTrapLimit} (100) or half of {@code PerMethodRecompilationCutoff} (400) it keeps
 * virtual calls where it would inline, the vectors lose their known class and every one is
 * allocated (60–580 MB per training step; docs/benchmarks.md, round 3, parts 20–21). JDK 25 was not
 * seen doing it.
 */
public final class JitLimits {
    /** Each limit and the value {@code ./oneshot} passes. */
    public static final Map<String, Long> RAISED = Map.of("PerMethodRecompilationCutoff", 4000L, "PerMethodTrapLimit", 10000L);

    private JitLimits() {
    }

    /**
     * The options still to pass ({@code -XX:NAME=VALUE}) for a JDK of the given feature version whose
     * limits have the given values; empty from JDK 25 on, or when every limit is at least its raised value.
     */
    public static List<String> missing(int jdkFeature, Map<String, Long> values) {
        List<String> missing = new ArrayList<>();
        if (jdkFeature >= 25) {
            return missing;
        }
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(RAISED).entrySet()) {
            Long value = values.get(e.getKey());
            if (value == null || value < e.getValue()) {
                missing.add("-XX:" + e.getKey() + "=" + e.getValue());
            }
        }
        return missing;
    }

    /** {@link #missing(int, Map)} for this JVM (empty when its flags cannot be read). */
    public static List<String> missingHere() {
        Map<String, Long> values = new java.util.HashMap<>();
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotspot =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            for (String name : RAISED.keySet()) {
                values.put(name, Long.parseLong(hotspot.getVMOption(name).getValue()));
            }
        } catch (RuntimeException | LinkageError notHotSpot) {
            return List.of();
        }
        return missing(Runtime.version().feature(), values);
    }

    /**
     * One line for a log or a terminal when the Vector API kernels run on a JVM that needs these
     * options and lacks them, else null.
     */
    public static String advice() {
        List<String> missing = VectorSupport.path().startsWith("vector") ? missingHere() : List.of();
        return missing.isEmpty() ? null : "on JDK " + Runtime.version().feature() + " pass " + String.join(" ", missing)
                + " to java (./oneshot does): without them the training steps may allocate 60-580 MB each and run slower";
    }
}
