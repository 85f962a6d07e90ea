package dev.oneshot.core.gradcheck;

import java.util.List;

/**
 * The outcome of one {@link GradCheck#check}: whether every check passed, the largest
 * |analytic − numerical| Jacobian entry, the entry closest to (or furthest past) its tolerance,
 * and one line per failure.
 */
public record GradCheckReport(String name, boolean passed, double maxAbsError, String worstEntry,
                              List<String> failures) {

    /** Throws an {@link AssertionError} listing the first failures unless the check passed. */
    public GradCheckReport assertPassed() {
        if (!passed) {
            StringBuilder sb = new StringBuilder("gradient check failed for " + name + " ("
                    + failures.size() + " problems):");
            failures.stream().limit(10).forEach(line -> sb.append("\n  ").append(line));
            throw new AssertionError(sb.toString());
        }
        return this;
    }

    /** One line for a table: name, PASS/FAIL, max abs error. */
    public String summary() {
        return String.format("%-28s %s  max |analytic − numerical| = %.2e%s", name, passed ? "PASS" : "FAIL",
                maxAbsError, passed ? "" : "  (" + failures.get(0) + ")");
    }
}
