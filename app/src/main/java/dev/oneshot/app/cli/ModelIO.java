package dev.oneshot.app.cli;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Model files written by {@code oneshot train}: the embedding network plus the provenance the other commands read. */
final class ModelIO {
    static final String SEED = "seed";
    static final String SPLIT_SEED = "split_seed";
    static final String LOSS = "loss";
    static final String MINER = "miner";
    static final String DATA = "data";
    static final String EPOCHS = "epochs";
    static final String IMAGE_SIZE = "image_size";
    static final String NORMALIZE = "normalize";
    static final String INVERT = "invert";
    /** "true": embeddings average the photo and its mirror image ({@link TwinNetwork#mirrorAverages}). */
    static final String MIRROR_AVERAGE = "mirror_average";
    /** τ written by {@code oneshot calibrate --write-tau} (squared L2 between embeddings). */
    static final String TAU = "tau";
    static final String TAU_CRITERION = "tau_criterion";
    /**
     * τ when the model has no calibrated one, for L2-normalised embeddings: a squared distance of
     * 1 between unit vectors is a cosine similarity of 0.5 (‖a − b‖² = 2 − 2·cos).
     */
    static final double DEFAULT_NORMALIZED_TAU = 1.0;

    /** A loaded model: the twin network in eval mode and what the file says about its inputs. */
    record Loaded(TwinNetwork net, Map<String, String> provenance, InputSize size, boolean invert) {
        /** How image files are read for this model: resized to its input size, inverted if it was trained so. */
        ImageOptions imageOptions() {
            return size.options(invert);
        }

        long splitSeed() {
            return Long.parseLong(provenance.getOrDefault(SPLIT_SEED, provenance.getOrDefault(SEED, "42")));
        }

        /** The calibrated τ of the provenance, else NaN. */
        double calibratedTau() {
            try {
                double t = Double.parseDouble(provenance.getOrDefault(TAU, "NaN"));
                return t >= 0 ? t : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        /**
         * τ when none is given: the calibrated one, else {@link #DEFAULT_NORMALIZED_TAU} for a
         * normalising network, else +∞ (every answer known: plain nearest neighbour).
         */
        double defaultTau() {
            double t = calibratedTau();
            return !Double.isNaN(t) ? t : net.normalizes() ? DEFAULT_NORMALIZED_TAU : Double.POSITIVE_INFINITY;
        }

        /** Where {@link #defaultTau} comes from, for the logs. */
        String defaultTauSource() {
            return !Double.isNaN(calibratedTau()) ? "calibrated, from the model file"
                    : net.normalizes() ? "default for normalised embeddings (cos ≥ 0.5)" : "default: no threshold";
        }
    }

    private ModelIO() {
    }

    static Loaded load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + ": no such file");
        }
        ModelFile.Contents c = ModelFile.read(file, new SeededRandom(0));
        Map<String, String> p = c.provenance();
        InputSize size;
        try {
            size = InputSize.parse(p.getOrDefault(IMAGE_SIZE, "28"), file + ": metadata " + IMAGE_SIZE);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        TwinNetwork net = new TwinNetwork(c.module(), Boolean.parseBoolean(p.getOrDefault(NORMALIZE, "true")),
                Boolean.parseBoolean(p.getOrDefault(MIRROR_AVERAGE, "false")));
        net.eval();
        return new Loaded(net, p, size, Boolean.parseBoolean(p.getOrDefault(INVERT, "false")));
    }
}
