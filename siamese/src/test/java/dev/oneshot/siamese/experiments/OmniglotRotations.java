package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OmniglotRunBuilder;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Omniglot recipes measured the honest way: rotate which background alphabets are held out. In
 * each rotation one or two alphabets are kept out of training, 20-way within-alphabet one-shot
 * runs in Lake's layout are built from them ({@link OmniglotRunBuilder}, native 105×105, seed
 * 2015), a model is trained with the recipe on every other alphabet (no validation alphabet: the
 * recipe's schedule runs its course) and scored on those runs beside raw pixels. The figure is
 * the mean over rotations; every held-out alphabet with at least 20 characters is held out once.
 * Tagalog (17 characters) cannot make a 20-way run and always trains.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.OmniglotRotations RECIPE.json|NAME
 * [minutes=M | steps=N] [runs=R] [rotations=1,2,3,4] [seed=S] [turns=1|2|4|8]}; {@code turns} sets the
 * recipe's class turns. With {@code -Drotations.save=DIR} each rotation's model is kept there, and
 * {@code OmniglotRotations variants DIR} scores the test-time {@link EmbeddingVariants} of the kept
 * models without training again. Figures: {@code docs/experiments.md}.
 */
public final class OmniglotRotations {
    /** Held out together, one group per rotation: every background-small alphabet with ≥ 20 characters, once. */
    public static final List<List<String>> ROTATIONS = List.of(
            List.of("Balinese", "Early_Aramaic"), List.of("Greek", "Latin"),
            List.of("Japanese_(katakana)", "Korean"), List.of("Sanskrit"));

    private OmniglotRotations() {
    }

    /** One rotation's scores. */
    public record Rotation(List<String> heldOut, OmniglotRuns.Score model, OmniglotRuns.Score pixels,
                           TrainingResult training) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: model %.3f, pixels %.3f (%d runs), %d steps in %.0f s, %s", heldOut,
                    model.accuracy(), pixels.accuracy(), model.runs(), training.steps(), training.seconds(),
                    training.stoppedBy());
        }
    }

    /** Trains and scores one rotation. */
    public static Rotation rotation(List<Path> zips, List<String> heldOut, Recipe recipe, RunOptions run, int runs,
                                    Path runsDir, TrainingListener listener) throws IOException {
        if (!Files.isDirectory(runsDir.resolve("run01"))) {
            InMemoryImages nativeAll = Omniglot.load(zips, Omniglot.DEFAULT_OPTIONS);
            LabeledImages held = Splits.byGroup(nativeAll, Omniglot.ALPHABET, heldOut, List.of(), List.of()).train();
            OmniglotRunBuilder.build(held, true, runsDir, runs, 2015L);
        }
        ImageOptions images = recipe.input().imageOptions();
        InMemoryImages all = Omniglot.load(zips, images);
        List<String> train = new ArrayList<>(Splits.groups(all, Omniglot.ALPHABET).keySet());
        train.removeAll(heldOut);
        LabeledImages trainPart = Splits.byGroup(all, Omniglot.ALPHABET, train, List.of(), List.of()).train();
        TrainingRun.Trained trained = TrainingRun.fit(recipe, trainPart, null, run, listener, System.out::println);
        SiameseModel model = trained.model();
        TrainingResult result = trained.result();
        OmniglotRuns scored = OmniglotRuns.read(runsDir, images);
        if (System.getProperty("rotations.save") != null) {
            model.save(Path.of(System.getProperty("rotations.save"), "rotation-" + String.join("+", heldOut) + ".safetensors"));
        }
        return new Rotation(heldOut, scored.evaluate(OmniglotRuns.embeddings(model.twin())),
                scored.evaluate(OmniglotRuns.pixels()), result);
    }

    /** Scores the test-time {@link EmbeddingVariants} of models that {@code -Drotations.save=DIR} kept, rotation by rotation. */
    static void variants(Path dir, int runs) throws IOException {
        if (System.getProperty("rotations.save") != null) { // before hours of training, not after
            Files.createDirectories(Path.of(System.getProperty("rotations.save")));
        }
        List<Path> zips = OmniglotOneShot.zips(OmniglotOneShot.omniglotDir());
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "omniglot-rotation-runs-" + runs);
        Map<String, Double> sums = new java.util.LinkedHashMap<>();
        int rotations = 0;
        for (int r = 1; r <= ROTATIONS.size(); r++) {
            List<String> heldOut = ROTATIONS.get(r - 1);
            Path file = dir.resolve("rotation-" + String.join("+", heldOut) + ".safetensors");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            SiameseModel model = SiameseModel.load(file);
            ImageOptions images = model.card().input().imageOptions();
            InMemoryImages all = Omniglot.load(zips, images);
            List<String> train = new ArrayList<>(Splits.groups(all, Omniglot.ALPHABET).keySet());
            train.removeAll(heldOut);
            LabeledImages trainPart = Splits.byGroup(all, Omniglot.ALPHABET, train, List.of(), List.of()).train();
            OmniglotRuns scored = OmniglotRuns.read(root.resolve("rotation" + r), images);
            rotations++;
            score(r, scored, EmbeddingVariants.of(model, trainPart), sums);
        }
        printMeans(sums, rotations);
    }

    /** Scores each variant on one rotation's runs, prints it and adds it to {@code sums}. */
    private static void score(int rotation, OmniglotRuns scored,
                              Map<String, Function<LabeledImages, Embedder.Features>> variants, Map<String, Double> sums) {
        for (Map.Entry<String, Function<LabeledImages, Embedder.Features>> v : variants.entrySet()) {
            double acc = scored.evaluate(v.getValue()).accuracy();
            sums.merge(v.getKey(), acc, Double::sum);
            System.out.printf(Locale.ROOT, "rotation %d %-26s %.4f%n", rotation, v.getKey(), acc);
        }
    }

    private static void printMeans(Map<String, Double> sums, int rotations) {
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            System.out.printf(Locale.ROOT, "mean over %d rotations %-26s %.4f%n", rotations, e.getKey(),
                    e.getValue() / rotations);
        }
    }

    /**
     * Scores ensembles of models kept by {@code -Drotations.save} in several folders (one run per
     * seed): each member alone, the members' embeddings side by side as they are, and side by side
     * after each is scaled to unit length.
     */
    static void ensemble(List<Path> dirs, int runs) throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "omniglot-rotation-runs-" + runs);
        Map<String, Double> sums = new java.util.LinkedHashMap<>();
        int rotations = 0;
        for (int r = 1; r <= ROTATIONS.size(); r++) {
            String name = "rotation-" + String.join("+", ROTATIONS.get(r - 1)) + ".safetensors";
            List<SiameseModel> models = new ArrayList<>();
            for (Path dir : dirs) {
                if (Files.isRegularFile(dir.resolve(name))) {
                    models.add(SiameseModel.load(dir.resolve(name)));
                }
            }
            if (models.size() != dirs.size()) {
                continue;
            }
            ImageOptions images = models.get(0).card().input().imageOptions();
            OmniglotRuns scored = OmniglotRuns.read(root.resolve("rotation" + r), images);
            Map<String, Function<LabeledImages, Embedder.Features>> v = new java.util.LinkedHashMap<>();
            for (int m = 0; m < models.size(); m++) {
                SiameseModel model = models.get(m);
                v.put("member " + m, d -> Embedder.embed(model, d));
            }
            v.put("side by side", d -> EmbeddingVariants.concat(models.stream().map(m -> Embedder.embed(m, d)).toList()));
            v.put("side by side, unit", d -> EmbeddingVariants.concat(models.stream()
                    .map(m -> EmbeddingVariants.centredUnit(Embedder.embed(m, d), null)).toList()));
            rotations++;
            score(r, scored, v, sums);
        }
        printMeans(sums, rotations);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("variants")) {
            variants(Path.of(args[1]), 20);
            return;
        }
        if (args.length > 2 && args[0].equals("ensemble")) {
            ensemble(java.util.Arrays.stream(args, 1, args.length).map(Path::of).toList(), 20);
            return;
        }
        Recipe recipe = args.length > 0 ? Recipes.resolve(args[0]) : Recipes.omniglot();
        RunOptions run = RunOptions.seed(42);
        int runs = 20;
        List<Integer> which = List.of(1, 2, 3, 4);
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "minutes" -> run = run.withBudget(Duration.ofMillis(Math.round(Double.parseDouble(kv[1]) * 60_000)));
                case "steps" -> run = run.withSteps(Integer.parseInt(kv[1]));
                case "turns" -> recipe = recipe.withClassTurns(Integer.parseInt(kv[1]));
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "seed" -> run = new RunOptions(Long.parseLong(kv[1]), run.steps(), run.budget(), null);
                case "rotations" -> which = java.util.Arrays.stream(kv[1].split(",")).map(Integer::parseInt).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (System.getProperty("rotations.save") != null) { // before hours of training, not after
            Files.createDirectories(Path.of(System.getProperty("rotations.save")));
        }
        List<Path> zips = OmniglotOneShot.zips(OmniglotOneShot.omniglotDir());
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "omniglot-rotation-runs-" + runs);
        double sum = 0;
        for (int r : which) {
            List<String> held = ROTATIONS.get(r - 1);
            Rotation result = rotation(zips, held, recipe, run, runs, root.resolve("rotation" + r), new TrainingListener() {
                @Override
                public void onWarning(String message) {
                    System.err.println("warning: " + message);
                }
            });
            System.out.println("rotation " + r + " " + result);
            sum += result.model().accuracy();
        }
        System.out.printf(Locale.ROOT, "%s: mean 20-way accuracy over %d rotations %.3f%n", recipe.name(), which.size(),
                sum / which.size());
    }
}
