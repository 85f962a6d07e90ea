package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The kernels' vector width: the CPU's preferred one unless {@code oneshot.vector.bits} names
 * another; a value that is not a width is reported, naming the property and the value, and
 * ignored. Runs where the Vector API is present (core's vector runs, core/pom.xml).
 */
class KernelSpeciesTest {
    @Test
    void theKernelsRunAtTheWidthTheirRunAskedFor() {
        assumeTrue(VectorSupport.available(), "the Vector API module is not present in this run");
        String asked = System.getProperty(KernelSpecies.PROPERTY);
        int bits = asked == null ? KernelSpecies.choose(null).vectorBitSize() : Integer.parseInt(asked);
        assertEquals(bits, KernelSpecies.FLOAT.vectorBitSize());
        assertEquals(KernelSpecies.FLOAT.length(), KernelSpecies.INT.length(), "one index lane per float lane");
        if (VectorSupport.enabled()) {
            assertEquals("vector-" + bits, VectorSupport.path());
        }
    }

    @Test
    void widthsInBitsGiveThatManyFloatLanes() {
        assumeTrue(VectorSupport.available(), "the Vector API module is not present in this run");
        assertEquals(8, KernelSpecies.choose("256").length());
        assertEquals(16, KernelSpecies.choose(" 512 ").length());
        assertEquals(4, KernelSpecies.choose("128").length());
    }

    @Test
    void unsetOrBadValuesLeaveTheCpusOwnWidthAndSaySo() {
        assumeTrue(VectorSupport.available(), "the Vector API module is not present in this run");
        int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(preferred, KernelSpecies.choose(null).vectorBitSize());
        assertEquals(preferred, KernelSpecies.choose(" ").vectorBitSize());
        for (String bad : new String[] {"300", "wide", "1024", "-256"}) {
            PrintStream saved = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                assertEquals(preferred, KernelSpecies.choose(bad).vectorBitSize(), bad);
            } finally {
                System.setErr(saved);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains(KernelSpecies.PROPERTY) && message.contains("\"" + bad + "\"")
                    && message.contains(preferred + "-bit"), message);
        }
    }
}
