package dev.oneshot.app.cli;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Calibration;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.FeaturePairs;
import dev.oneshot.siamese.eval.VerificationReport;
import dev.oneshot.core.json.Json;

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
import java.util.Set;

/** {@code oneshot calibrate}: chooses τ on held-out validation pairs and measures it on held-out test pairs. */
final class CalibrateCommand implements Command {
    @Override
    public String name() {
        return "calibrate";
    }

    @Override
    public String summary() {
        return "choose τ on held-out pairs and report FAR/FRR on other held-out classes";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot calibrate --model FILE --data SPEC [--criterion eer|f1|far:X] [--pairs N] [--seed S] [--json] [--write-tau]
                  Embeds the held-out classes of SPEC (the split the model was trained with) and samples genuine
                  and impostor pairs (squared L2 distances). τ is chosen on a validation part by the criterion
                  and its FAR/FRR are measured on a disjoint test part: the held-out test classes are split in
                  two halves by class (seeded) when there are at least 4, else the held-out validation split
                  chooses and the held-out test split measures (Fashion-MNIST/IDX: classes 7–9 of the training
                  file, then of the test file — same classes, other images). AUC and EER are of the test pairs.
                  --criterion C  eer (default), f1, or far:X (largest TAR with FAR ≤ X, X in [0, 1])
                  --pairs N      genuine and impostor pairs each, per part (default 2000)
                  --seed S       class halves and pair sampling (default 1)
                  --write-tau    store τ in the model file's metadata (tau, tau_criterion) for enroll/verify
                  --json         {"tau","criterion","far","frr","accuracy","auc","eer","eer_tau","split",...}
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "data", "criterion", "pairs", "seed"), Set.of("json", "write-tau"));
        if (!a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        Path modelFile = Path.of(a.required("model"));
        DataSpec data = DataSpec.parse(a.required("data"));
        Calibration.Criterion criterion = criterion(a.string("criterion", "eer"));
        int pairs = a.integer("pairs", 2000, 1, 10_000_000);
        long seed = a.longValue("seed", 1);

        ModelIO.Loaded model = ModelIO.load(modelFile);
        err.println("loading " + data.text() + " at " + model.size().display() + " ...");
        DataSpec.Parts parts = data.load(model.size(), model.splitSeed());
        LabeledImages test = parts.test();
        LabeledImages valPart;
        LabeledImages testPart;
        String split;
        if (test.classCount() >= 4) {
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < test.classCount(); c++) {
                order.add(c);
            }
            Collections.shuffle(order, new Random(seed));
            int half = order.size() / 2;
            valPart = Subset.ofClasses(test, sorted(order.subList(0, half)));
            testPart = Subset.ofClasses(test, sorted(order.subList(half, order.size())));
            split = "class halves of the held-out test classes";
        } else {
            valPart = parts.val();
            testPart = test;
            split = "held-out validation split / held-out test split";
        }
        for (LabeledImages part : List.of(valPart, testPart)) {
            if (part.classCount() < 2) {
                throw new IOException(data.text() + ": calibration needs at least 2 classes in each part (" + split
                        + "), got " + valPart.classCount() + " and " + testPart.classCount());
            }
        }
        err.println("embedding " + valPart.size() + " + " + testPart.size() + " held-out images ...");
        FeaturePairs.Scores val = FeaturePairs.sampled(Embedder.embed(model.net(), valPart), valPart, pairs, seed);
        FeaturePairs.Scores tst = FeaturePairs.sampled(Embedder.embed(model.net(), testPart), testPart, pairs, seed + 1);
        double tau = Calibration.choose(val.genuine(), val.impostor(), criterion);
        Calibration.Result r = Calibration.evaluate(tau, tst.genuine(), tst.impostor());
        VerificationReport rep = VerificationReport.of(tst);
        boolean written = a.flag("write-tau");
        if (written) {
            writeTau(modelFile, tau, criterion);
            err.println("wrote τ = " + tau + " into " + modelFile);
        }
        if (a.flag("json")) {
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

    static Calibration.Criterion criterion(String s) throws Args.UsageException {
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
        throw new Args.UsageException("--criterion must be eer, f1 or far:X with X in [0, 1], got '" + s + "'");
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

    /** Stores τ in the model file's provenance (atomic save; the weights, hence the fingerprint, are unchanged). */
    private static void writeTau(Path modelFile, double tau, Calibration.Criterion criterion) throws IOException {
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalStateException("τ = " + tau + " accepts nothing or everything; not written to " + modelFile);
        }
        ModelFile.Contents c = ModelFile.read(modelFile, new SeededRandom(0));
        Map<String, String> prov = new LinkedHashMap<>(c.provenance());
        prov.put(ModelIO.TAU, Double.toString(tau));
        prov.put(ModelIO.TAU_CRITERION, criterion.name());
        ModelFile.save(modelFile, c.module(), prov);
    }
}
