package dev.oneshot.core.kernels;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JitLimitsTest {
    @Test
    void jdk17WithHotSpotsDefaultsIsToldBothOptions() {
        assertEquals(List.of("-XX:PerMethodRecompilationCutoff=4000", "-XX:PerMethodTrapLimit=10000"),
                JitLimits.missing(17, Map.of("PerMethodRecompilationCutoff", 400L, "PerMethodTrapLimit", 100L)));
    }

    @Test
    void onlyTheLimitStillAtItsDefaultIsNamed() {
        assertEquals(List.of("-XX:PerMethodTrapLimit=10000"),
                JitLimits.missing(17, Map.of("PerMethodRecompilationCutoff", 4000L, "PerMethodTrapLimit", 100L)));
        assertEquals(List.of("-XX:PerMethodRecompilationCutoff=4000"),
                JitLimits.missing(21, Map.of("PerMethodRecompilationCutoff", 3999L, "PerMethodTrapLimit", 20000L)));
    }

    @Test
    void raisedLimitsOrJdk25NeedNothing() {
        assertEquals(List.of(),
                JitLimits.missing(17, Map.of("PerMethodRecompilationCutoff", 4000L, "PerMethodTrapLimit", 10000L)));
        assertEquals(List.of(),
                JitLimits.missing(25, Map.of("PerMethodRecompilationCutoff", 400L, "PerMethodTrapLimit", 100L)));
    }

    /** This suite's JVMs start with the launcher's options (the surefire argLine), so nothing is missing here. */
    @Test
    void thisJvmHasTheLimitsRaised() {
        assertEquals(List.of(), JitLimits.missingHere());
        assertEquals(null, JitLimits.advice());
    }
}
