package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Calibration;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.FeaturePairs;
import dev.oneshot.siamese.eval.VerificationReport;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;



/** {@code oneshot calibrate}: chooses τ on held-out validation pairs and measures it on held-out test pairs. */
final class CalibrateCommand implements Command {
    @Override
    public String name() {
        return "calibrate";
    }

    @Override
    public String summary() {
        return "choose τ on pairs of held-out classes and measure FAR/FRR on others";
    }

    static final Option<DataSource> DATA = CommonOptions.data("held-out data: every class of it is used (IDX data: the test file)").required();
    static final Option<Calibration.Criterion> CRITERION = Option.of("criterion", "eer|f1|far:X",
            "eer, f1, or far:X (the largest TAR with FAR ≤ X, X in [0, 1])", CalibrateCommand::criterion)
            .orElse(Calibration.Criterion.EER, "eer");
    static final Option<Integer> PAIRS = Option.integer("pairs", "N", 1, 10_000_000, "genuine and impostor pairs each, per part").orElse(2000);
    static final Option<Boolean> WRITE_TAU = Option.flag("write-tau", "store τ and how it was chosen in the model card (enroll, identify and verify use it)");

    @Override
    public Options options() {
        return new Options("--model FILE --data SPEC [--criterion eer|f1|far:X] [--pairs N] [--seed S] [--write-tau] [--json]", """
                Embeds every class of SPEC and samples genuine and impostor pairs (squared L2 distances). τ is
                chosen on one part by the criterion and its FAR/FRR are measured on the other: the classes are
                split in two halves (seeded) when there are at least 4, else each class's images are. AUC and
                EER are of the measuring part. JSON: {"tau","criterion","far","frr","accuracy","auc","eer",
                "eer_tau","split","classes",...}.
                """, List.of(CommonOptions.MODEL, DATA, CRITERION, PAIRS, CommonOptions.SEED, WRITE_TAU,
                CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        Path modelFile = a.get(CommonOptions.MODEL);
        DataSource data = a.get(DATA);
        Calibration.Criterion criterion = a.get(CRITERION);
        int pairs = a.get(PAIRS);
        long seed = a.get(CommonOptions.SEED);

        SiameseModel model = SiameseModel.load(modelFile);
        err.println("loading " + data.spec() + " at " + model.card().input().display() + " ...");
        LabeledImages all = data.load(model.card().input().imageOptions(), DataSource.Use.EVALUATION);
        LabeledImages valPart;
        LabeledImages testPart;
        String split;
        if (all.classCount() >= 4) {
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < all.classCount(); c++) {
                order.add(c);
            }
            Collections.shuffle(order, new Random(seed));
            int half = order.size() / 2;
            valPart = Subset.ofClasses(all, sorted(order.subList(0, half)));
            testPart = Subset.ofClasses(all, sorted(order.subList(half, order.size())));
            split = "class halves of " + data.spec();
        } else {
            List<Integer> first = new ArrayList<>();
            List<Integer> second = new ArrayList<>();
            for (int[] members : all.indicesByClass()) {
                for (int j = 0; j < members.length; j++) {
                    (j < members.length / 2 ? first : second).add(members[j]);
                }
            }
            valPart = new Subset(all, first.stream().mapToInt(Integer::intValue).toArray());
            testPart = new Subset(all, second.stream().mapToInt(Integer::intValue).toArray());
            split = "image halves of each class of " + data.spec() + " (fewer than 4 classes)";
        }
        for (LabeledImages part : List.of(valPart, testPart)) {
            if (part.classCount() < 2) {
                throw new IOException(data.spec() + ": calibration needs at least 2 classes in each part (" + split
                        + "), got " + valPart.classCount() + " and " + testPart.classCount());
            }
        }
        err.println("embedding " + valPart.size() + " + " + testPart.size() + " images ...");
        FeaturePairs.Scores val = FeaturePairs.sampled(Embedder.embed(model, valPart), valPart, pairs, seed);
        FeaturePairs.Scores tst = FeaturePairs.sampled(Embedder.embed(model, testPart), testPart, pairs, seed + 1);
        double tau = Calibration.choose(val.genuine(), val.impostor(), criterion);
        Calibration.Result r = Calibration.evaluate(tau, tst.genuine(), tst.impostor());
        VerificationReport rep = VerificationReport.of(tst);
        boolean written = a.get(WRITE_TAU);
        if (written) {
            writeTau(model, modelFile, tau, criterion.name() + " on " + pairs + " + " + pairs + " pairs of " + split);
            err.println("wrote τ = " + tau + " into " + modelFile);
        }
        if (a.get(CommonOptions.JSON)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("tau", tau);
            o.put("criterion", criterion.name());
            o.put("far", r.far());
            o.put("frr", r.frr());
            o.put("accuracy", r.accuracy());
            o.put("auc", rep.auc());
            o.put("eer", rep.eer());
            o.put("eer_tau", rep.eerTau());
            o.put("split", split);
            o.put("validation_classes", valPart.classCount());
            o.put("test_classes", testPart.classCount());
            o.put("classes", all.classCount());
            o.put("pairs", pairs);
            o.put("written", written);
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "τ = %s (squared L2, same when distance ≤ τ), criterion %s, chosen on %d classes;%n",
                    text(tau), criterion.name(), valPart.classCount());
            out.printf(Locale.ROOT, "  measured on %d other classes (%s, %d genuine + %d impostor pairs):%n",
                    testPart.classCount(), split, r.genuine(), r.impostor());
            out.printf(Locale.ROOT, "  FAR %.4f  FRR %.4f  accuracy %.4f%n", r.far(), r.frr(), r.accuracy());
            out.printf(Locale.ROOT, "  AUC %.4f  EER %.4f (at τ %s)%n", rep.auc(), rep.eer(), text(rep.eerTau()));
        }
        return Main.OK;
    }

    static Calibration.Criterion criterion(String s) {
        String c = s.trim().toLowerCase(Locale.ROOT);
        if (c.equals("eer")) {
            return Calibration.Criterion.EER;
        } else if (c.equals("f1")) {
            return Calibration.Criterion.F1;
        } else if (c.startsWith("far:")) {
            try {
                double far = Double.parseDouble(c.substring(4));
                if (far >= 0 && far <= 1) {
                    return Calibration.Criterion.targetFar(far);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("must be eer, f1 or far:X with X in [0, 1], got '" + s + "'");
    }

    /** τ in full precision, or what an infinite τ means. */
    private static String text(double tau) {
        return Double.isFinite(tau) ? Double.toString(tau) : tau > 0 ? "+∞ (accept all)" : "−∞ (accept none)";
    }

    private static int[] sorted(List<Integer> classes) {
        int[] a = classes.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Stores τ in the model card (atomic save; the weights, hence the fingerprint, are unchanged). */
    private static void writeTau(SiameseModel model, Path modelFile, double tau, String chosenBy) throws IOException {
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalStateException("τ = " + tau + " accepts nothing or everything; not written to " + modelFile);
        }
        model.withCard(model.card().withCalibration(new Threshold(tau, chosenBy))).save(modelFile);
    }
}
