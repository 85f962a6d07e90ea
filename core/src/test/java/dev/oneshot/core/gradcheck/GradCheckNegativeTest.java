package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.SabotagedMatMul.Bug;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checker that cannot fail proves nothing. Each test here builds an op with a deliberately
 * wrong backward and asserts that {@link GradCheck} rejects it, while the same op with the
 * correct backward passes.
 */
class GradCheckNegativeTest {

    private static Tensor matmulWith(Bug bug, Tensor a, Tensor b, int scaledElement) {
        return SabotagedMatMul.apply(bug, a, b, scaledElement);
    }

    private static GradCheckReport checkSabotaged(Bug bug, int scaledElement) {
        return GradCheck.check("matmul with " + bug, x -> matmulWith(bug, x[0], x[1], scaledElement),
                away(7, 4, 4), away(8, 4, 4));
    }

    @Test
    void correctBackwardPasses() {
        checkSabotaged(Bug.NONE, 0).assertPassed();
    }

    /** A 1% error in any single gradient element is caught, whichever element it is. */
    @ParameterizedTest
    @ValueSource(ints = {0, 5, 10, 15})
    void onePercentErrorInOneElementFails(int element) {
        GradCheckReport report = checkSabotaged(Bug.SCALE_ONE_ELEMENT, element);
        assertFalse(report.passed(), report.summary());
        assertTrue(report.failures().stream().allMatch(f -> f.contains("input 0 element " + element)),
                () -> "only the scaled element should be flagged: " + report.failures());
    }

    @Test
    void transposedGradientFails() {
        GradCheckReport report = checkSabotaged(Bug.TRANSPOSED, 0);
        assertFalse(report.passed(), report.summary());
    }

    /** Assigning instead of accumulating loses one of the two uses of a tensor fed in twice. */
    @Test
    void missingAccumulationFails() {
        Tensor a = away(9, 4, 4);
        GradCheck.check("A·A (correct)", x -> matmulWith(Bug.NONE, x[0], x[0], 0), a).assertPassed();
        GradCheckReport report = GradCheck.check("A·A with assignment",
                x -> matmulWith(Bug.ASSIGN_INSTEAD_OF_ACCUMULATE, x[0], x[0], 0), a);
        assertFalse(report.passed(), report.summary());
    }

    @Test
    void nonDeterministicBackwardFails() {
        GradCheckReport report = checkSabotaged(Bug.NON_DETERMINISTIC, 0);
        assertFalse(report.passed());
        assertTrue(report.failures().stream().anyMatch(f -> f.contains("two backward passes")), report.failures()::toString);
    }

    @Test
    void backwardThatIgnoresUpstreamFails() {
        GradCheckReport report = checkSabotaged(Bug.IGNORES_UPSTREAM, 0);
        assertFalse(report.passed());
        assertTrue(report.failures().stream().anyMatch(f -> f.contains("zero upstream")), report.failures()::toString);
    }

    @Test
    void gradientOfWrongShapeFails() {
        Tensor x = away(10, 2, 3);
        GradCheckReport report = GradCheck.check("no-backward", in -> Node.record("forgets-input",
                in[0].data().clone(), in[0].shape(), g -> { }, in[0]), x);
        assertFalse(report.passed());
        assertTrue(report.failures().get(0).contains("left none"), report.failures()::toString);
    }

    @Test
    void assertPassedThrowsWithTheFailures() {
        GradCheckReport report = checkSabotaged(Bug.TRANSPOSED, 0);
        AssertionError e = assertThrows(AssertionError.class, report::assertPassed);
        assertTrue(e.getMessage().contains("Jacobian mismatch"), e.getMessage());
    }
}
