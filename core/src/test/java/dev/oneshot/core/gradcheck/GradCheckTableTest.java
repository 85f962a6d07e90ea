package dev.oneshot.core.gradcheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the op table {@link OpChecks} — the same rows {@code oneshot gradcheck} runs — each over its
 * full Jacobian, and checks that the table covers every op core records.
 *
 * <p>Coverage: {@link #everyRecordedOpInCoreHasARow()} scans core's main sources for every
 * {@code Node.record(} call and the op name it passes ({@link RecordedOpScan}: a source scan sees
 * an op no row executes, which a registry filled at run time cannot, and it fails on a call whose
 * name it cannot read rather than skipping it); an op is covered when some row's graph records
 * that name ({@link RecordedOpCoverage}). {@code RecordedOpScanTest} shows the check failing for
 * a new op without a row.
 */
class GradCheckTableTest {

    static List<OpCheck> rows() {
        return OpChecks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void analyticGradientMatchesFiniteDifferences(OpCheck row) {
        row.run().assertPassed();
    }

    @Test
    void rowNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        List<String> repeated = rows().stream().map(OpCheck::name).filter(n -> !seen.add(n)).toList();
        assertEquals(List.of(), repeated, "row names repeat in OpChecks");
    }

    /** Every op recorded anywhere in core's main code appears in at least one row's graph. */
    @Test
    void everyRecordedOpInCoreHasARow() {
        RecordedOpScan.Result scan = RecordedOpScan.scanTree(Path.of(System.getProperty("basedir", ""), "src", "main", "java"));
        assertEquals(List.of(), scan.problems(), "Node.record calls whose op name the scan cannot read");
        Set<String> recorded = scan.sites().stream().map(RecordedOpScan.Site::op).collect(Collectors.toCollection(TreeSet::new));
        // the scan must see the ops of every kind of call site, or it proves nothing
        assertTrue(recorded.containsAll(List.of("neg", "softplus", "relu", "add", "minimum", "max", "min", "conv2d",
                "maxPool2d", "pow", "sum", "sabotaged-matmul")), () -> "recorded ops found: " + recorded);
        assertTrue(scan.sites().size() >= 20, () -> "only " + scan.sites().size() + " sites: " + scan.sites());
        assertEquals(List.of(), RecordedOpCoverage.uncovered(scan.sites(), RecordedOpCoverage.coveredBy(rows()), "OpChecks"));
    }
}
