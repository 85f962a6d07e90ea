package dev.oneshot.app.cli;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.gradcheck.OpCheck;
import dev.oneshot.core.gradcheck.OpChecks;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The named gradient checks that {@code oneshot gradcheck} runs: every core op (the rows of
 * {@link OpChecks}, the same table {@code GradCheckTableTest} runs), every nn layer and loss and
 * every Siamese loss ({@link CatalogLayersAndLosses}), and negative controls
 * ({@link NegativeControls}) — deliberately wrong backwards that the checker must reject.
 * Inputs stay clear of kinks.
 */
public final class GradcheckCatalog {
    /** What a check covers. */
    public enum Kind {
        OP, LAYER, LOSS, NEGATIVE_CONTROL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A named check; {@link #run()} gives the checker's report, fresh inputs each time, and
     * {@link #build()} (null if the check does not expose it) builds the checked graph once, so a
     * test can read which recorded ops the catalogue covers.
     */
    public record Check(String name, Kind kind, Supplier<GradCheckReport> run, Supplier<Tensor> build) {
        /** A check whose graph is not exposed. */
        public Check(String name, Kind kind, Supplier<GradCheckReport> run) {
            this(name, kind, run, null);
        }

        /** For a negative control, ok means the checker caught the bug; otherwise, that it passed. */
        public boolean ok(GradCheckReport r) {
            return kind == Kind.NEGATIVE_CONTROL ? !r.passed() : r.passed();
        }
    }

    private GradcheckCatalog() {
    }

    /** The inputs of one check. */
    static Tensor[] of(Tensor... inputs) {
        return inputs;
    }

    /** Every check, ops first, negative controls last. */
    public static List<Check> all() {
        List<Check> all = new ArrayList<>(ops());
        all.addAll(CatalogLayersAndLosses.layers());
        all.addAll(CatalogLayersAndLosses.losses());
        all.addAll(NegativeControls.all());
        return all;
    }

    static Check check(String name, Kind kind, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        return new Check(name, kind, () -> GradCheck.check(name, f, inputs.get()), () -> f.apply(inputs.get()));
    }

    /** One check per row of {@link OpChecks}, in its order. */
    public static List<Check> ops() {
        List<Check> c = new ArrayList<>();
        for (OpCheck row : OpChecks.all()) {
            c.add(new Check(row.name(), Kind.OP, row::run, () -> row.op().apply(row.freshInputs())));
        }
        return c;
    }
}
