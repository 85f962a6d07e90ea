package dev.oneshot.siamese.model;

import dev.oneshot.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a trained model comes from: enough to read its figures in context and to train it again.
 *
 * @param data           the training data as given, e.g. {@code "orl:faces.zip:people=1-30"}
 * @param validation     the validation classes (their data and which), or {@code "none"}
 * @param steps          optimiser steps taken
 * @param seconds        wall-clock training time
 * @param seed           the seed every random choice flowed from
 * @param threads        the kernels' thread count (the same seed and thread count give the same weights)
 * @param stoppedBy      what ended training, e.g. {@code "steps: all 400 steps done"}
 * @param bestValidation the best validation accuracy (NaN without validation)
 * @param version        the oneshot version that trained it
 * @param commit         the git commit that version was built from ({@code "unknown"} for a build outside a
 *                       git checkout, and for cards written before the commit was recorded)
 */
public record Provenance(String data, String validation, long steps, double seconds, long seed, int threads,
                         String stoppedBy, double bestValidation, String version, String commit) {

    /** What {@link #currentVersion()} and {@link #currentCommit()} say when the build did not record it. */
    public static final String UNKNOWN = "unknown";

    /** version.properties as Maven filled it in (siamese/pom.xml); a key it did not fill in reads UNKNOWN. */
    private static final Properties BUILD = readBuildProperties();

    public Provenance {
        if (data == null || validation == null || stoppedBy == null || version == null || commit == null) {
            throw new IllegalArgumentException(
                    "Provenance: data, validation, stoppedBy, version and commit must not be null");
        }
        if (steps < 0 || seconds < 0 || threads < 0) {
            throw new IllegalArgumentException("Provenance: steps, seconds and threads must be ≥ 0, got " + steps + ", "
                    + seconds + ", " + threads);
        }
    }

    /** For a model that was built in code and not trained (yet). */
    public static Provenance untrained(long seed) {
        return new Provenance("none", "none", 0, 0, seed, 0, "not trained", Double.NaN, currentVersion(),
                currentCommit());
    }

    /** This build's version ({@code 0.1.0-SNAPSHOT}), or {@value #UNKNOWN} outside a Maven build. */
    public static String currentVersion() {
        return BUILD.getProperty("version");
    }

    /**
     * The git commit this build was made from (40 hex digits, {@code git rev-parse HEAD} when Maven built
     * it), or {@value #UNKNOWN} when it was built outside a git checkout or not by Maven.
     */
    public static String currentCommit() {
        return BUILD.getProperty("commit");
    }

    private static Properties readBuildProperties() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            p.clear(); // unreadable: every key reads UNKNOWN, as outside a Maven build
        }
        Properties filled = new Properties();
        for (String key : new String[] {"version", "commit"}) {
            String v = p.getProperty(key, UNKNOWN).strip();
            filled.setProperty(key, v.isEmpty() || v.startsWith("${") ? UNKNOWN : v);
        }
        return filled;
    }

    /** The JSON form (NaN as {@code null}). */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("data", data);
        o.put("validation", validation);
        o.put("steps", steps);
        o.put("seconds", seconds);
        o.put("seed", seed);
        o.put("threads", threads);
        o.put("stopped_by", stoppedBy);
        o.put("best_validation_accuracy", Double.isNaN(bestValidation) ? null : bestValidation);
        o.put("version", version);
        o.put("commit", commit);
        return o;
    }

    /** Reads {@link #toJson()}'s form; a card written before the commit was recorded reads {@value #UNKNOWN}. */
    public static Provenance fromJson(JsonObject o) {
        o.requireOnly("data", "validation", "steps", "seconds", "seed", "threads", "stopped_by",
                "best_validation_accuracy", "version", "commit");
        return new Provenance(o.string("data"), o.string("validation"), o.longValue("steps"),
                o.number("seconds", 0, Double.MAX_VALUE), o.longValue("seed"), o.integer("threads", 0, 0, 1 << 16),
                o.string("stopped_by"), o.has("best_validation_accuracy") ? o.number("best_validation_accuracy", 0, 1)
                : Double.NaN, o.string("version", UNKNOWN), o.string("commit", UNKNOWN));
    }
}
