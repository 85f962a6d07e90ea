package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one Vector API switch: available exactly when the module is present (the core suite runs
 * without and with it, core/pom.xml), every facade follows {@link VectorSupport#use}, and the
 * property / environment values are read as documented.
 */
class VectorSupportTest {
    @Test
    void availableExactlyWhenTheModuleIsPresentAndOnByDefault() {
        boolean module = ModuleLayer.boot().findModule(VectorSupport.MODULE).isPresent();
        assertEquals(module, VectorSupport.available());
        String expected = System.getProperty("oneshot.test.expectKernel");
        if (expected != null) { // set by core/pom.xml: each run knows which path it must start on
            assertTrue(VectorSupport.path().startsWith(expected), VectorSupport.path() + " vs " + expected);
        }
    }

    @Test
    void everyFacadeFollowsTheOneSwitch() {
        boolean saved = VectorSupport.enabled();
        try {
            assertEquals("scalar", VectorSupport.use(false));
            assertFacades("scalar");
            String on = VectorSupport.use(true);
            assertEquals(VectorSupport.available(), VectorSupport.enabled());
            assertTrue(VectorSupport.available() ? on.matches("vector-\\d+") : on.equals("scalar"), on);
            assertFacades(on);
        } finally {
            VectorSupport.use(saved);
        }
    }

    private static void assertFacades(String path) {
        assertEquals(path, VectorSupport.path());
        assertEquals(path, Gemm.kernel());
        assertEquals(path, Pooling.kernel());
        assertEquals(path, DistanceKernels.kernel());
        assertEquals(path, BatchNormKernel.kernel());
    }

    /** property, environment, switched on? */
    static Stream<Arguments> switches() {
        return Stream.of(
                Arguments.of(null, null, true),
                Arguments.of("", " ", true),
                Arguments.of("false", null, false),
                Arguments.of(" FALSE ", null, false),
                Arguments.of("0", null, false),
                Arguments.of("off", null, false),
                Arguments.of(null, "0", false),
                Arguments.of(null, "false", false),
                Arguments.of("", "off", false),
                Arguments.of("true", "0", true),   // the property wins over the environment
                Arguments.of("1", null, true),
                Arguments.of(null, "on", true),
                Arguments.of("maybe", null, true)); // reported on stderr, ignored
    }

    @ParameterizedTest
    @MethodSource("switches")
    void switchValues(String property, String environment, boolean on) {
        assertEquals(on, VectorSupport.switchedOn(property, environment));
    }
}
