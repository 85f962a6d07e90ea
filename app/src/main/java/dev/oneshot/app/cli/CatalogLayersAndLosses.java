package dev.oneshot.app.cli;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
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
import dev.oneshot.nn.loss.MseLoss;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import dev.oneshot.app.cli.GradcheckCatalog.Check;
import dev.oneshot.app.cli.GradcheckCatalog.Kind;
import dev.oneshot.siamese.loss.BinaryCrossEntropyWithLogits;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.loss.EmbeddingDistance;
import dev.oneshot.siamese.loss.NormalizedSoftmaxLoss;
import dev.oneshot.siamese.loss.PrototypicalLoss;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.loss.TripletOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.distinct;
import static dev.oneshot.app.cli.GradcheckCatalog.of;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.shiftedAway;

/** Gradient checks of every nn layer (input and parameters), every nn loss and every Siamese loss. */
final class CatalogLayersAndLosses {
    private static final String[] WB = {"weight", "bias"};
    private static final String[] NONE = {};
    /** Distance from a hinge that the checker's step never crosses. */
    private static final double CLEARANCE = 0.3;

    private CatalogLayersAndLosses() {
    }

    /** The layer as a function of its input t[0] and its parameters {@code names} = t[1..]. */
    private static Check layer(String name, Supplier<Module> factory, String[] names, Tensor... inputs) {
        return GradcheckCatalog.check(name, Kind.LAYER, t -> {
            Module m = factory.get();
            for (int i = 0; i < names.length; i++) {
                m.setParameter(names[i], t[i + 1]);
            }
            return m.forward(t[0]);
        }, () -> inputs);
    }

    static List<Check> layers() {
        List<Check> c = new ArrayList<>();
        c.add(layer("Linear", () -> new Linear(4, 5, true, new SeededRandom(1)), WB, away(1, 3, 4), away(2, 5, 4), away(3, 5)));
        c.add(layer("Linear no bias [2,3,4]", () -> new Linear(4, 2, false, new SeededRandom(1)), new String[] {"weight"},
                away(4, 2, 3, 4), away(5, 2, 4)));
        c.add(layer("Conv2d s2 p1", () -> new Conv2d(2, 3, 3, 2, 1, true, new SeededRandom(1)), WB,
                away(6, 2, 2, 5, 5), away(7, 3, 2, 3, 3), away(8, 3)));
        c.add(layer("BatchNorm1d train", () -> new BatchNorm1d(3), WB, away(9, 5, 3), away(10, 3), away(11, 3)));
        c.add(layer("BatchNorm2d train", () -> new BatchNorm2d(2), WB, away(15, 2, 2, 3, 3), away(16, 2), away(17, 2)));
        c.add(layer("BatchNorm2d eval", () -> {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.runningMean().data()[1] = 0.3f;
            bn.runningVar().data()[0] = 2f;
            bn.eval();
            return bn;
        }, WB, away(18, 2, 2, 2, 2), away(19, 2), away(20, 2)));
        c.add(layer("Dropout(0.5) train, fixed mask", () -> new Dropout(0.5, new SeededRandom(21)), NONE, away(22, 4, 5)));
        c.add(layer("ReLU", ReLU::new, NONE, away(23, 3, 4)));
        c.add(layer("Sigmoid", Sigmoid::new, NONE, away(24, 3, 4)));
        c.add(layer("Tanh", Tanh::new, NONE, away(25, 3, 4)));
        c.add(layer("L2Normalize", () -> new L2Normalize(1e-6f), NONE, away(26, 3, 4)));
        c.add(layer("MaxPool2d", () -> new MaxPool2d(2, 2), NONE, distinct(27, 0.05f, 2, 2, 4, 4)));
        c.add(layer("Flatten", Flatten::new, NONE, away(28, 2, 3, 2)));
        c.add(layer("Conv-Tanh-Pool-Flatten-Linear", () -> new Sequential(
                        new Conv2d(1, 2, 3, 1, 1, true, new SeededRandom(30)), new Tanh(), new MaxPool2d(2, 2),
                        new Flatten(), new Linear(8, 3, true, new SeededRandom(31))),
                new String[] {"0.weight", "0.bias", "4.weight", "4.bias"},
                away(32, 2, 1, 4, 4), away(33, 2, 1, 3, 3), away(34, 2), away(35, 3, 8), away(36, 3)));
        return c;
    }

    static List<Check> losses() {
        List<Check> c = new ArrayList<>();
        c.add(GradcheckCatalog.check("MseLoss", Kind.LOSS, x -> MseLoss.apply(x[0], x[1]),
                () -> of(away(1, 3, 4), away(2, 3, 4))));
        c.add(GradcheckCatalog.check("SoftmaxCrossEntropy", Kind.LOSS,
                x -> SoftmaxCrossEntropy.apply(x[0], new int[] {0, 3, 1, 4}), () -> of(away(3, 4, 5))));
        TripletOptions base = TripletOptions.DEFAULT;
        List<TripletOptions> tripletOptions = List.of(base.withReduction(Reduction.SUM),
                base.withReduction(Reduction.MEAN), base.withReduction(Reduction.MEAN_ACTIVE),
                base.withDistance(EmbeddingDistance.L2), base.withMarginKind(TripletOptions.Margin.SOFT));
        for (TripletOptions o : tripletOptions) {
            Tensor[] apn = triplets(100, 4, 3, o);
            c.add(GradcheckCatalog.check("TripletLoss " + describe(o), Kind.LOSS,
                    x -> TripletLoss.apply(x[0], x[1], x[2], o).loss(), () -> apn));
        }
        int[] anchor = {0, 0, 2, 3, 1};
        int[] positive = {1, 2, 0, 4, 3};
        int[] negative = {3, 4, 1, 1, 2};
        TripletOptions mean = base.withReduction(Reduction.MEAN);
        long eSeed = seedWhere(300, s -> clear(mean, TripletLoss.apply(away(s, 5, 3), anchor, positive, negative, mean)));
        c.add(GradcheckCatalog.check("TripletLoss indexed (mined)", Kind.LOSS,
                x -> TripletLoss.apply(x[0], anchor, positive, negative, mean).loss(), () -> of(away(eSeed, 5, 3))));
        int[] same = {1, 0, 1, 0, 0, 0};
        for (Reduction r : Reduction.values()) {
            ContrastiveLoss.Options o = ContrastiveLoss.Options.DEFAULT.withMargin(2.5f).withReduction(r);
            long s = contrastiveSeed(10, same, o.margin());
            c.add(GradcheckCatalog.check("ContrastiveLoss " + r.name().toLowerCase(), Kind.LOSS,
                    x -> ContrastiveLoss.apply(x[0], x[1], same, o), () -> of(away(2 * s, 6, 3), away(2 * s + 1, 6, 3))));
        }
        int[] labels = {1, 0, 0, 1, 1, 0};
        c.add(GradcheckCatalog.check("BinaryCrossEntropyWithLogits", Kind.LOSS,
                x -> BinaryCrossEntropyWithLogits.apply(x[0], labels, Reduction.MEAN), () -> of(away(3, 6))));
        BinaryVerificationHead head = new BinaryVerificationHead(3, new SeededRandom(2));
        int[] pairSame = {1, 0, 0, 1};
        Tensor e1 = away(11, 4, 3);
        c.add(GradcheckCatalog.check("BinaryVerificationHead (Koch)", Kind.LOSS, x -> {
            head.setParameter("fc.weight", x[2]);
            head.setParameter("fc.bias", x[3]);
            return head.loss(x[0], x[1], pairSame, Reduction.MEAN);
        }, () -> of(e1, shiftedAway(e1, 12), away(13, 1, 3), away(14, 1))));
        int[] classes = {0, 2, 1, 2, 3};
        c.add(GradcheckCatalog.check("NormalizedSoftmaxLoss (embeddings, proxies)", Kind.LOSS,
                x -> NormalizedSoftmaxLoss.apply(x[0], x[1], classes, 4f), () -> of(away(15, 5, 3), away(16, 4, 3))));
        int[] episode = {0, 1, 2, 0, 1, 2, 0, 1};
        for (int shots = 1; shots <= 2; shots++) {
            int s = shots;
            c.add(GradcheckCatalog.check("PrototypicalLoss " + shots + " shot" + (shots == 1 ? "" : "s"), Kind.LOSS,
                    x -> PrototypicalLoss.apply(x[0], episode, s), () -> of(away(17, 8, 3))));
        }
        return c;
    }

    private static String describe(TripletOptions o) {
        return (o.distance() == EmbeddingDistance.L2 ? "L2" : "squared-L2") + " " + o.marginKind().name().toLowerCase()
                + " " + o.reduction().name().toLowerCase().replace('_', '-');
    }

    /** A, P, N [m, d] with every hinge and distance at least {@link #CLEARANCE} from a kink. */
    private static Tensor[] triplets(long start, int m, int d, TripletOptions o) {
        long s = seedWhere(start, k -> clear(o, TripletLoss.apply(away(3 * k, m, d), away(3 * k + 1, m, d),
                away(3 * k + 2, m, d), o)));
        return of(away(3 * s, m, d), away(3 * s + 1, m, d), away(3 * s + 2, m, d));
    }

    private static boolean clear(TripletOptions o, TripletLoss.Result r) {
        int active = 0;
        for (int i = 0; i < r.active().length; i++) {
            double hinge = r.apDistance()[i] - r.anDistance()[i] + o.margin();
            if (Math.abs(hinge) < CLEARANCE || r.apDistance()[i] < CLEARANCE || r.anDistance()[i] < CLEARANCE) {
                return false;
            }
            active += hinge > 0 ? 1 : 0;
        }
        return o.marginKind() == TripletOptions.Margin.SOFT || (active > 0 && active < r.active().length);
    }

    /** Pairs [6, 3] whose different pairs are all ≥ {@link #CLEARANCE} from the margin, some inside, some outside. */
    private static long contrastiveSeed(long start, int[] same, float margin) {
        return seedWhere(start, s -> {
            float[] a = away(2 * s, 6, 3).data();
            float[] b = away(2 * s + 1, 6, 3).data();
            int inside = 0;
            int different = 0;
            for (int i = 0; i < same.length; i++) {
                if (same[i] == 1) {
                    continue;
                }
                double sq = 0;
                for (int j = 0; j < 3; j++) {
                    sq += (a[i * 3 + j] - b[i * 3 + j]) * (a[i * 3 + j] - b[i * 3 + j]);
                }
                double dist = Math.sqrt(sq);
                if (Math.abs(margin - dist) < CLEARANCE) {
                    return false;
                }
                different++;
                inside += dist < margin ? 1 : 0;
            }
            return inside > 0 && inside < different;
        });
    }

    private static long seedWhere(long start, java.util.function.LongPredicate ok) {
        try (Grad.Scope off = Grad.off()) {
            for (long s = start; s < start + 10_000; s++) {
                if (ok.test(s)) {
                    return s;
                }
            }
        }
        throw new IllegalStateException("gradcheck catalogue: no seed from " + start + " keeps the inputs clear of kinks");
    }
}
