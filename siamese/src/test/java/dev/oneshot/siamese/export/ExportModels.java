package dev.oneshot.siamese.export;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.BatchNorm;
import dev.oneshot.nn.layers.BatchNorm1d;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Dropout;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingRun;

import java.util.ArrayList;
import java.util.List;

/**
 * The network configurations the export is checked on: every built-in network (small CNN,
 * Conv-4 with BatchNorm, Koch, Koch with a sigmoid embedding) with and without normalisation and
 * mirror averaging, a network holding every layer the library has, one with a Linear on a 4-D
 * input, and the models with Koch's verification head. BatchNorm layers get running statistics,
 * γ and β far from the identity, so that their inference form is really checked.
 */
final class ExportModels {
    /** A named model. */
    record Named(String name, SiameseModel model) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ExportModels() {
    }

    /**
     * Koch et al.'s network (small) at 35×35, inverted, on unit embeddings: the omniglot recipe
     * before it moved to Conv-4, kept here because its 5×5 and 2×2 convolutions and its pooling
     * remainders are shapes no built-in recipe exports any more.
     */
    static Recipe kochSmall() {
        return Recipes.omniglot().withName("koch-small")
                .withNetwork(new NetworkSpec.Koch(new int[] {32, 64, 64, 128}, new int[] {5, 3, 3, 2}, 64, false))
                .withInput(InputSpec.square(35).inverted()).withNormalize(true).withClassTurns(1);
    }

    /** Every embedding configuration. */
    static List<Named> embeddingConfigs() {
        List<Named> out = new ArrayList<>();
        addVariants(out, "small CNN 28×28", Recipes.fashion());
        addVariants(out, "Conv-4+BN 28×23", Recipes.faces().withInput(InputSpec.of(28, 23)));
        addVariants(out, "Koch-small 35×35 inverted", kochSmall());
        Recipe kochSigmoid = kochSmall().withNetwork(new NetworkSpec.Koch(new int[] {8, 16, 16, 32},
                new int[] {5, 3, 3, 2}, 16, true));
        out.add(new Named("Koch sigmoid-embedding 35×35", build(kochSigmoid, 5)));
        out.add(new Named("every layer 12×10", everyLayer(true)));
        out.add(new Named("every layer 12×10, unnormalised, mirror", everyLayer(false)));
        out.add(new Named("Linear on [N, C, H, W] 6×5", linearOnImages()));
        out.add(new Named("Conv-4+BN trained 20 steps, normalised, mirror-averaged", trained(Recipes.faces(), 11)));
        out.add(new Named("ensemble of 2 small CNNs 28×28, normalised", ensemble(Recipes.fashion(), 13)));
        Recipe faces = Recipes.faces().withInput(InputSpec.of(28, 23).mirrorAveraged()).withNormalize(false);
        out.add(new Named("ensemble of 3 Conv-4+BN 28×23, unnormalised, mirror-averaged", ensemble(faces.withMembers(3),
                14)));
        out.add(new Named("Conv-4+BN 28×28 inverted, unnormalised, shift-averaged (the omniglot recipe's input)",
                build(Recipes.omniglot().withInput(InputSpec.square(28).inverted().shiftAveraged()), 15)));
        out.add(new Named("Conv-4+BN 28×23, normalised, shift- and mirror-averaged",
                build(Recipes.faces().withMembers(1).withInput(InputSpec.of(28, 23).mirrorAveraged().shiftAveraged()),
                        16)));
        return out;
    }

    /** The four combinations of normalisation and mirror averaging of a recipe. */
    private static void addVariants(List<Named> out, String name, Recipe r) {
        InputSpec in = r.input();
        InputSpec plain = new InputSpec(in.height(), in.width(), in.channels(), in.invert(), false);
        for (boolean mirror : new boolean[] {false, true}) {
            for (boolean normalize : new boolean[] {true, false}) {
                Recipe v = r.withInput(mirror ? plain.mirrorAveraged() : plain).withNormalize(normalize);
                out.add(new Named(name + (normalize ? ", normalised" : ", unnormalised")
                        + (mirror ? ", mirror-averaged" : ""), build(v, 3)));
            }
        }
    }

    /**
     * Models with Koch's head: small CNN, Conv-4 with BN and mirror averaging, Koch-small (the
     * binary recipes train unnormalised embeddings), and Koch-small under a card that normalises.
     */
    static List<Named> headConfigs() {
        Objective binary = new Objective.Binary();
        SiameseModel koch = withSpreadHead(build(kochSmall().withObjective(binary), 10));
        SiameseModel kochNormalised = SiameseModel.withHead(koch.embeddingNet(), koch.head().orElseThrow(),
                koch.card().toBuilder().normalized(true).build());
        return List.of(
                new Named("head on small CNN", withSpreadHead(build(Recipes.fashion().withObjective(binary), 7))),
                new Named("head on Conv-4+BN, mirror-averaged",
                        withSpreadHead(build(Recipes.faces().withObjective(binary), 8))),
                new Named("head on Koch-small", withSpreadHead(build(kochSmall().withObjective(binary), 9))),
                new Named("head on Koch-small, normalised", kochNormalised),
                new Named("head on Conv-4+BN trained 20 steps, mirror-averaged",
                        trained(Recipes.faces().withObjective(binary), 12)));
    }

    /**
     * Sets the head's w and b so that its logits on random image pairs are centred with a
     * standard deviation of about 3 (w scaled by at most 300): an untrained head says p ≈ σ(b)
     * for every pair, which would check little.
     */
    static SiameseModel withSpreadHead(SiameseModel m) {
        var head = m.head().orElseThrow();
        float[] w = head.stateDict().get("fc.weight").data();
        float[] b = head.stateDict().get("fc.bias").data();
        Tensor logits = head.logits(m.embed(images(m, 16, 77)), m.embed(images(m, 16, 78)));
        double mean = 0;
        double sq = 0;
        for (float v : logits.data()) {
            mean += (v - b[0]) / 16.0;
            sq += (double) (v - b[0]) * (v - b[0]) / 16.0;
        }
        double std = Math.sqrt(Math.max(sq - mean * mean, 1e-12));
        double scale = Math.min(3.0 / std, 300.0); // amplifying float noise would be no test either
        for (int i = 0; i < w.length; i++) {
            w[i] *= (float) scale;
        }
        b[0] = (float) (-mean * scale);
        return m;
    }

    /** The recipe's members (2 unless it says more) from seeds seed, seed + 1, …, BatchNorms perturbed, as one ensemble. */
    static SiameseModel ensemble(Recipe r, long seed) {
        Recipe e = r.members() > 1 ? r : r.withMembers(2);
        List<SiameseModel> members = new ArrayList<>();
        for (int i = 0; i < e.members(); i++) {
            members.add(build(e, seed + i));
        }
        return TrainingRun.ensemble(e, members, seed);
    }

    /** An untrained model of the recipe, its BatchNorm statistics and affine parameters set away from the identity. */
    static SiameseModel build(Recipe r, long seed) {
        SiameseModel m = TrainingRun.build(r, seed);
        perturbBatchNorms(m, new SeededRandom(seed + 100));
        return m;
    }

    /**
     * A model of the recipe trained for 20 steps on 12 synthetic classes at its input size (a
     * random prototype per class plus noise): real running statistics and a head that learned.
     */
    static SiameseModel trained(Recipe r, long seed) {
        InputSpec in = r.input();
        int per = in.height() * in.width();
        int classes = 12;
        int perClass = 6;
        SeededRandom rng = new SeededRandom(seed);
        float[][] prototypes = new float[classes][per];
        for (float[] p : prototypes) {
            rng.fillUniform(p, 0f, 1f);
        }
        float[] pixels = new float[classes * perClass * per];
        int[] labels = new int[classes * perClass];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
            for (int k = 0; k < perClass; k++) {
                int i = c * perClass + k;
                labels[i] = c;
                for (int t = 0; t < per; t++) {
                    float v = prototypes[c][t] + 0.2f * (float) rng.nextGaussian();
                    pixels[i * per + t] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        InMemoryImages data = new InMemoryImages(pixels, in.imageShape(), labels, names, null);
        SiameseModel m = TrainingRun.build(r.withBatch(6, 4), seed);
        try {
            new SiameseTrainer(m, r.withBatch(6, 4), TrainingListener.NONE).fit(data, RunOptions.seed(seed).withSteps(20));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return m;
    }

    /** running_mean ~ U(−0.5, 0.5), running_var ~ U(0.3, 2), γ ~ U(0.5, 1.5), β ~ U(−0.3, 0.3). */
    static void perturbBatchNorms(Module m, SeededRandom rng) {
        if (m instanceof BatchNorm bn) {
            fill(bn.runningMean(), -0.5, 0.5, rng);
            fill(bn.runningVar(), 0.3, 2.0, rng);
            fill(bn.weight(), 0.5, 1.5, rng);
            fill(bn.bias(), -0.3, 0.3, rng);
        }
        m.namedChildren().values().forEach(c -> perturbBatchNorms(c, rng));
    }

    private static void fill(Tensor t, double lo, double hi, SeededRandom rng) {
        float[] d = t.data();
        for (int i = 0; i < t.numel(); i++) {
            d[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
    }

    /**
     * Conv2d (stride 2, padding 1, no bias) → BatchNorm2d → Tanh → MaxPool2d (3, stride 1,
     * overlapping) → Conv2d → ReLU → Dropout → Flatten → Linear (no bias) → BatchNorm1d → Sigmoid →
     * Linear → L2Normalize, on 12×10 images.
     */
    static SiameseModel everyLayer(boolean normalize) {
        SeededRandom rng = new SeededRandom(21);
        Sequential f = new Sequential(
                new Conv2d(1, 6, 3, 2, 1, false, rng), new BatchNorm2d(6), new Tanh(), new MaxPool2d(3, 1),
                new Conv2d(6, 8, 2, rng), new ReLU(), new Dropout(0.5, rng), new Flatten(),
                new Linear(8 * 3 * 2, 12, false, rng), new BatchNorm1d(12), new Sigmoid(),
                new Linear(12, 5, rng), new L2Normalize());
        perturbBatchNorms(f, new SeededRandom(22));
        InputSpec in = InputSpec.of(12, 10);
        return SiameseModel.of(f, ModelCard.builder(normalize ? in : in.mirrorAveraged()).normalized(normalize)
                .build());
    }

    /** Conv2d → Linear on the last axis of [N, C, H, W] (MatMul by Wᵀ, + Add) → Flatten, on 6×5 images. */
    static SiameseModel linearOnImages() {
        SeededRandom rng = new SeededRandom(31);
        Sequential f = new Sequential(new Conv2d(1, 2, 2, rng), new Linear(4, 3, rng), new Tanh(),
                new Linear(3, 2, false, rng));
        return SiameseModel.of(f, ModelCard.builder(InputSpec.of(6, 5)).normalized(false).build());
    }

    /**
     * n images of the model's input shape: image i is b_i + c_i·(u − 0.5) clamped to [0, 1], with
     * u uniform noise and a brightness b_i and contrast c_i of its own, so that the images (and
     * their embeddings) differ from one another as photos do.
     */
    static Tensor images(SiameseModel m, int n, long seed) {
        InputSpec in = m.card().input();
        SeededRandom rng = new SeededRandom(seed);
        int per = in.channels() * in.height() * in.width();
        float[] v = new float[n * per];
        for (int i = 0; i < n; i++) {
            double brightness = rng.nextDouble();
            double contrast = rng.nextDouble();
            for (int j = 0; j < per; j++) {
                v[i * per + j] = (float) Math.min(1, Math.max(0, brightness + contrast * (rng.nextDouble() - 0.5)));
            }
        }
        return Tensor.wrap(v, n, in.channels(), in.height(), in.width());
    }
}
