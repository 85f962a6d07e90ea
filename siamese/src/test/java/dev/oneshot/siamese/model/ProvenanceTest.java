package dev.oneshot.siamese.model;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The version and git commit every model card records, and cards written before the commit was. */
class ProvenanceTest {
    private static final String COMMIT = "0d33a5a5440ed5f9644b98bd8ebe971b4463134e";

    private static Provenance trained() {
        return new Provenance("folder:staff", "none", 400, 71.5, 42, 2, "steps-done: all 400 steps done", 0.875,
                "0.1.0", COMMIT);
    }

    @Test
    void theCommitTravelsInTheJsonBesideTheVersion() {
        Map<String, Object> json = trained().toJson();
        assertEquals("0.1.0", json.get("version"));
        assertEquals(COMMIT, json.get("commit"));
        assertEquals(trained(), Provenance.fromJson(JsonObject.parse(Json.write(json), "card.provenance")));
    }

    @Test
    void aCardWrittenBeforeTheCommitWasRecordedReadsUnknown() {
        Map<String, Object> json = new LinkedHashMap<>(trained().toJson());
        json.remove("commit");
        Provenance p = Provenance.fromJson(JsonObject.parse(Json.write(json), "card.provenance"));
        assertEquals("unknown", p.commit());
        assertEquals("0.1.0", p.version());
        assertEquals(400, p.steps());
    }

    @Test
    void aNullCommitIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Provenance("d", "none", 0, 0, 1, 0, "s", Double.NaN, "0.1.0", null));
        assertTrue(e.getMessage().contains("commit"), e.getMessage());
    }

    /**
     * The build fills in version.properties (siamese/pom.xml): the project version, and the commit from
     * {@code git rev-parse HEAD} or "unknown" outside a git checkout. Surefire passes what Maven computed.
     */
    @Test
    void thisBuildsVersionAndCommitAreWhatMavenComputed() {
        String version = System.getProperty("oneshot.test.version");
        String commit = System.getProperty("oneshot.test.commit");
        assumeTrue(version != null && commit != null, "not run by Maven: no oneshot.test.version/commit to compare");
        assertEquals(version, Provenance.currentVersion());
        assertEquals(commit, Provenance.currentCommit());
        assertTrue(commit.matches("[0-9a-f]{40}") || commit.equals("unknown"), commit);
        Provenance fresh = Provenance.untrained(5);
        assertEquals(version, fresh.version());
        assertEquals(commit, fresh.commit());
    }
}
