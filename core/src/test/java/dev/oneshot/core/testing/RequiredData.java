package dev.oneshot.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need data the repository does not hold (Fashion-MNIST from Debian's
 * {@code dataset-fashion-mnist}, the Omniglot and ORL files in {@code ../shared/data}): when the
 * data is missing the test is skipped with a message on a developer's machine, and fails in CI,
 * where {@code .ci/run} installs the data and sets {@value #VARIABLE}{@code =1} — a green CI run
 * cannot hide a skipped real-data check.
 */
public final class RequiredData {
    /** The environment variable that makes missing data a failure. */
    public static final String VARIABLE = "ONESHOT_REQUIRE_DATA";

    private RequiredData() {
    }

    /** Returns if {@code present}; otherwise skips the test (locally) or fails it (CI), saying {@code what}. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("1".equals(System.getenv(VARIABLE))) {
            Assertions.fail(what + " (" + VARIABLE + "=1: data the tests need must be present)");
        }
        Assumptions.assumeTrue(false, what + " (skipped; set " + VARIABLE + "=1 to make this a failure)");
    }
}
