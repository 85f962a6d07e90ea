package dev.oneshot.app.cli;

import dev.oneshot.core.gradcheck.RecordedOpCoverage;
import dev.oneshot.core.gradcheck.RecordedOpScan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oneshot gradcheck} checks every op any library module records: each {@code Node.record}
 * call in core, nn and siamese main code (found by core's {@link RecordedOpScan}) appears in the
 * graph of some op, layer or loss check. Core's own table is held to this by
 * {@code GradCheckTableTest}; this adds the fused losses nn and siamese record.
 */
class GradcheckCoverageTest {

    @Test
    void everyOpRecordedInTheLibraryModulesHasACheck() {
        Path repo = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
        List<RecordedOpScan.Site> sites = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String module : List.of("core", "nn", "siamese")) {
            RecordedOpScan.Result r = RecordedOpScan.scanTree(repo.resolve(module).resolve("src/main/java"));
            sites.addAll(r.sites());
            problems.addAll(r.problems());
        }
        assertEquals(List.of(), problems);
        Set<String> covered = new TreeSet<>();
        for (GradcheckCatalog.Check c : GradcheckCatalog.all()) {
            if (c.kind() != GradcheckCatalog.Kind.NEGATIVE_CONTROL && c.build() != null) {
                covered.addAll(RecordedOpCoverage.opsInGraph(c.build().get()));
            }
        }
        Set<String> recorded = new TreeSet<>(sites.stream().map(RecordedOpScan.Site::op).toList());
        assertTrue(recorded.containsAll(List.of("softmaxCrossEntropy", "tripletLoss", "contrastiveLoss", "bceWithLogits")),
                () -> "the scan should find the fused losses of nn and siamese: " + recorded);
        assertEquals(List.of(), RecordedOpCoverage.uncovered(sites, covered, "the oneshot gradcheck catalogue"));
    }

    @Test
    void everyOpCheckAndLayerOrLossCheckExposesItsGraph() {
        for (GradcheckCatalog.Check c : GradcheckCatalog.all()) {
            assertTrue(c.kind() == GradcheckCatalog.Kind.NEGATIVE_CONTROL || c.build() != null, c.name());
        }
    }
}
