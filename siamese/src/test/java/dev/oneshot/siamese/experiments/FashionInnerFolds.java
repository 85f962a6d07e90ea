package dev.oneshot.siamese.experiments;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.IdxImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.FeaturePairs;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.Roc;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The demo's three measures inside Fashion-MNIST's seen classes 0–6, so that a recipe for the
 * demo can be chosen without looking at classes 7–9. Per seed the seven classes are shuffled and
 * cut into two folds (3 and 4 classes); each fold's model trains on the training file's images of
 * the other classes, then, on the test file: N-way 1-shot on the held-out classes, 7-way 1-shot
 * on all seven (the demo's all-10: held-out classes among trained ones) and the ROC AUC of all
 * pairs of the first 300 test images of each held-out class — raw pixels beside each, on the
 * same episodes and pairs.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.FashionInnerFolds RECIPE
 * [seeds=42,7,99] [episodes=500]} (RECIPE: a built-in name or a recipe file). {@code R1+R2+…}
 * trains an ensemble: member i trains recipe Ri from the fold's seed + 1000 i, and the ensemble's
 * embedding is the members' side by side; the first member's own scores are printed beside it.
 * {@code folds=near} holds out {@link #NEAR_FOLDS} instead of random folds; {@code folds=one}
 * holds out each class in turn (see {@link #leaveOneOut}; the first seed only).
 * {@code variants=true} also scores the test-time variants of {@link EmbeddingVariants} (each
 * member's variant unit-normalised, side by side; means from 500 training images per class).
 */
public final class FashionInnerFolds {
    /**
     * Folds shaped like the demo's unseen classes (sneaker and ankle boot beside the trained
     * sandal, and the bag like nothing trained): each holds out two classes that each resemble a
     * trained class and one that resembles none. Shirt beside the trained T-shirt, coat beside the
     * trained pullover, trouser alone; then T-shirt beside shirt, pullover beside coat, sandal
     * alone. With {@code folds=near} every seed trains these two folds (the seed draws the
     * networks, not the folds).
     */
    static final int[][] NEAR_FOLDS = {{6, 4, 1}, {0, 2, 5}};

    private FashionInnerFolds() {
    }

    public static void main(String[] args) throws IOException {
        java.util.List<Recipe> members = new java.util.ArrayList<>();
        for (String r : (args.length > 0 ? args[0] : "fashion").split("\\+")) {
            members.add(Recipes.resolve(r));
        }
        Recipe recipe = members.get(0);
        long[] seeds = {42, 7, 99};
        int episodes = 500;
        boolean variants = false;
        boolean near = false;
        boolean leaveOneOut = false;
        int subclasses = 1;
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "seeds" -> seeds = Arrays.stream(kv[1].split(",")).mapToLong(Long::parseLong).toArray();
                case "episodes" -> episodes = Integer.parseInt(kv[1]);
                case "variants" -> variants = Boolean.parseBoolean(kv[1]);
                case "subclasses" -> subclasses = Integer.parseInt(kv[1]);
                case "folds" -> {
                    near = kv[1].equals("near");
                    leaveOneOut = kv[1].equals("one");
                    if (!near && !leaveOneOut && !kv[1].equals("random")) {
                        throw new IllegalArgumentException("folds=random, near or one, not " + kv[1]);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        IdxImages train = IdxImages.fashionMnistTrain(dir);
        IdxImages test = IdxImages.fashionMnistTest(dir);
        int[] seen = FashionMnistOneShot.SEEN;
        LabeledImages allTest = Subset.ofClasses(test, seen);
        if (leaveOneOut) {
            leaveOneOut(members, train, allTest, seeds[0], episodes, subclasses);
            return;
        }
        double[] sums = new double[9];
        java.util.Map<String, double[]> variantSums = new java.util.LinkedHashMap<>();
        int folds = 0;
        for (long seed : seeds) {
            int[] order = seen.clone();
            SeededRandom rng = new SeededRandom(seed);
            for (int i = order.length - 1; i > 0; i--) { // Fisher–Yates
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[][] heldOut = near ? NEAR_FOLDS
                    : new int[][] {Arrays.copyOfRange(order, 0, 3), Arrays.copyOfRange(order, 3, order.length)};
            for (int[] out : heldOut) {
                int[] in = Arrays.stream(seen).filter(c -> Arrays.stream(out).noneMatch(o -> o == c)).toArray();
                java.util.List<SiameseModel> models = new java.util.ArrayList<>();
                LabeledImages trainIn = Subset.ofClasses(train, in);
                for (int m = 0; m < members.size(); m++) {
                    Recipe r = members.get(m);
                    long s = seed + 1000L * m;
                    models.add(TrainingRun.fit(r.withMembers(1), trainIn, null, RunOptions.seed(s).withSteps(r.steps()),
                            TrainingListener.NONE, line -> { }).model());
                }
                SiameseModel model = models.get(0);
                java.util.function.Function<LabeledImages, Embedder.Features> ens = d -> EmbeddingVariants.concat(
                        models.stream().map(m -> Embedder.embed(m, d)).toList());
                LabeledImages outTest = Subset.ofClasses(test, out);
                OneShotEpisodes way = OneShotEpisodes.draw(outTest, out.length, 1, 5, episodes, seed + 1);
                OneShotEpisodes all = OneShotEpisodes.draw(allTest, seen.length, 1, 5, episodes, seed + 2);
                LabeledImages pairs = Subset.firstPerClass(outTest, 300);
                double[] r = {
                    way.score(Embedder.embed(model, outTest)).accuracy(),
                    way.score(Embedder.pixels(outTest)).accuracy(),
                    all.score(Embedder.embed(model, allTest)).accuracy(),
                    all.score(Embedder.pixels(allTest)).accuracy(),
                    auc(FeaturePairs.all(Embedder.embed(model, pairs), pairs)),
                    auc(FeaturePairs.all(Embedder.pixels(pairs), pairs)),
                    way.score(ens.apply(outTest)).accuracy(),
                    all.score(ens.apply(allTest)).accuracy(),
                    auc(FeaturePairs.all(ens.apply(pairs), pairs))};
                System.out.printf(Locale.ROOT, "seed %d held out %s: %d-way %.3f (pixels %.3f) | 7-way %.3f (pixels %.3f)"
                        + " | AUC %.3f (pixels %.3f)%n", seed, Arrays.toString(out), out.length, r[0], r[1], r[2], r[3],
                        r[4], r[5]);
                if (members.size() > 1) {
                    System.out.printf(Locale.ROOT, "  ensemble of %d: %d-way %.3f | 7-way %.3f | AUC %.3f%n",
                            members.size(), out.length, r[6], r[7], r[8]);
                }
                for (int k = 0; k < r.length; k++) {
                    sums[k] += r[k];
                }
                if (variants) {
                    LabeledImages means = Subset.firstPerClass(trainIn, 500);
                    java.util.List<java.util.Map<String, java.util.function.Function<LabeledImages, Embedder.Features>>>
                            per = models.stream().map(m -> EmbeddingVariants.of(m, means)).toList();
                    for (String name : per.get(0).keySet()) {
                        java.util.function.Function<LabeledImages, Embedder.Features> v = d -> EmbeddingVariants.concat(
                                per.stream().map(p -> EmbeddingVariants.centredUnit(p.get(name).apply(d), null)).toList());
                        double[] q = {way.score(v.apply(outTest)).accuracy(), all.score(v.apply(allTest)).accuracy(),
                            auc(FeaturePairs.all(v.apply(pairs), pairs))};
                        System.out.printf(Locale.ROOT, "  variant %-26s %d-way %.3f | 7-way %.3f | AUC %.3f%n", name,
                                out.length, q[0], q[1], q[2]);
                        double[] acc = variantSums.computeIfAbsent(name, k -> new double[3]);
                        for (int k = 0; k < 3; k++) {
                            acc[k] += q[k];
                        }
                    }
                }
                folds++;
            }
        }
        System.out.printf(Locale.ROOT, "%s, mean of %d folds: N-way %.3f (pixels %.3f) | 7-way %.3f (pixels %.3f) | AUC "
                + "%.3f (pixels %.3f)%n", recipe.name(), folds, sums[0] / folds, sums[1] / folds, sums[2] / folds,
                sums[3] / folds, sums[4] / folds, sums[5] / folds);
        if (members.size() > 1) {
            System.out.printf(Locale.ROOT, "ensemble of %d (%s), mean of %d folds: N-way %.3f | 7-way %.3f | AUC %.3f%n",
                    members.size(), args[0], folds, sums[6] / folds, sums[7] / folds, sums[8] / folds);
        }
        for (var e : variantSums.entrySet()) {
            double[] a = e.getValue();
            System.out.printf(Locale.ROOT, "variant %s (each member's, unit, side by side), mean of %d folds: N-way %.3f"
                    + " | 7-way %.3f | AUC %.3f%n", e.getKey(), folds, a[0] / folds, a[1] / folds, a[2] / folds);
        }
    }

    /**
     * {@code folds=one}: each of the seven classes held out in turn, the model trained on the other
     * six (the demo trains on seven), then scored where the demo's new classes fall short — among
     * the classes it was trained on: 7-way 1-shot on all seven (every query, and the held-out
     * class's queries alone) and the ROC AUC of the held-out class's pairs (genuine) against its
     * images paired with the trained classes' (impostor), first 300 test images per class.
     */
    private static void leaveOneOut(java.util.List<Recipe> members, IdxImages train, LabeledImages allTest, long seed,
                                    int episodes, int subclasses) throws IOException {
        int[] seen = FashionMnistOneShot.SEEN;
        double[] sums = new double[6];
        for (int heldOut = 0; heldOut < seen.length; heldOut++) { // allTest's label of the held-out class
            int out = seen[heldOut];
            int[] in = Arrays.stream(seen).filter(c -> c != out).toArray();
            LabeledImages trainIn = Subset.ofClasses(train, in);
            if (subclasses > 1) {
                trainIn = new dev.oneshot.siamese.data.SubClasses(trainIn, subclasses, seed + 5);
            }
            java.util.List<SiameseModel> models = new java.util.ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                Recipe r = members.get(m);
                models.add(TrainingRun.fit(r.withMembers(1), trainIn, null, RunOptions.seed(seed + 1000L * m)
                        .withSteps(r.steps()), TrainingListener.NONE, line -> { }).model());
            }
            Embedder.Features model = EmbeddingVariants.concat(models.stream().map(m -> Embedder.embed(m, allTest)).toList());
            Embedder.Features pixels = Embedder.pixels(allTest);
            OneShotEpisodes all = OneShotEpisodes.draw(allTest, seen.length, 1, 5, episodes, seed + 2 + out);
            LabeledImages pairs = Subset.firstPerClass(allTest, 300);
            Embedder.Features pairModel = EmbeddingVariants.concat(models.stream().map(m -> Embedder.embed(m, pairs)).toList());
            double[] r = {all.score(model).accuracy(), all.score(pixels).accuracy(), heldOutAccuracy(all, allTest, model,
                    heldOut), heldOutAccuracy(all, allTest, pixels, heldOut), heldOutAuc(pairModel, pairs, heldOut),
                heldOutAuc(Embedder.pixels(pairs), pairs, heldOut)};
            System.out.printf(Locale.ROOT, "held out %d: 7-way %.3f (pixels %.3f) | its queries %.3f (pixels %.3f) | "
                    + "AUC %.3f (pixels %.3f)%n", out, r[0], r[1], r[2], r[3], r[4], r[5]);
            for (int k = 0; k < r.length; k++) {
                sums[k] += r[k];
            }
        }
        int n = seen.length;
        System.out.printf(Locale.ROOT, "%s, %d members, each class held out, mean of %d: 7-way %.3f (pixels %.3f) | "
                + "held-out queries %.3f (pixels %.3f) | AUC %.3f (pixels %.3f)%n", members.get(0).name(), members.size(),
                n, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n);
    }

    /** Nearest-support accuracy of the queries of class index {@code heldOut} (of the data) over all episodes. */
    private static double heldOutAccuracy(OneShotEpisodes episodes, LabeledImages data, Embedder.Features f,
                                          int heldOut) {
        int correct = 0;
        int total = 0;
        for (OneShotEpisodes.Episode ep : episodes.episodes()) {
            int[][] support = ep.support();
            for (int truth = 0; truth < support.length; truth++) {
                if (data.label(support[truth][0]) != heldOut) {
                    continue;
                }
                for (int q : ep.query()[truth]) {
                    int best = -1;
                    double bestD = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < support.length; c++) {
                        double d = f.squaredDistance(q, support[c][0]);
                        if (d < bestD) {
                            bestD = d;
                            best = c;
                        }
                    }
                    correct += best == truth ? 1 : 0;
                    total++;
                }
            }
        }
        return (double) correct / total;
    }

    /** AUC of pairs within class {@code heldOut} against its images paired with every other class's. */
    private static double heldOutAuc(Embedder.Features f, LabeledImages data, int heldOut) {
        java.util.List<Integer> mine = new java.util.ArrayList<>();
        java.util.List<Integer> others = new java.util.ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (data.label(i) == heldOut ? mine : others).add(i);
        }
        double[] genuine = new double[mine.size() * (mine.size() - 1) / 2];
        double[] impostor = new double[mine.size() * others.size()];
        int g = 0;
        int m = 0;
        for (int a = 0; a < mine.size(); a++) {
            for (int b = a + 1; b < mine.size(); b++) {
                genuine[g++] = f.squaredDistance(mine.get(a), mine.get(b));
            }
            for (int o : others) {
                impostor[m++] = f.squaredDistance(mine.get(a), o);
            }
        }
        return Roc.of(genuine, impostor).auc();
    }

    private static double auc(FeaturePairs.Scores s) {
        return Roc.of(s.genuine(), s.impostor()).auc();
    }
}
