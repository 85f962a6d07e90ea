package dev.oneshot.siamese.train;

import dev.oneshot.nn.optim.Adam;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.eval.OmniglotRunBuilder;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CI-sized end to end: a few dozen steps of the default Omniglot network on two alphabets of
 * {@code images_background_small1} already beat raw pixels by a wide margin on 20-way runs
 * built from the three others (about 20 s on two cores).
 */
class OmniglotShortTrainingTest {
    static Path omniglotDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("../shared/data/omniglot") : p.resolve("../shared/data/omniglot").normalize();
    }

    @Test
    void briefTrainingBeatsRawPixelsOnBuiltRuns(@TempDir Path dir) throws IOException {
        Path zip = omniglotDir().resolve("images_background_small1.zip");
        assumeTrue(Files.exists(zip), "Omniglot not found at " + zip);
        List<String> heldOut = List.of("Balinese", "Early_Aramaic", "Greek");
        InMemoryImages nativeAll = Omniglot.fromZip(zip);
        LabeledImages held = Splits.byGroup(nativeAll, Omniglot.ALPHABET, heldOut, List.of(), List.of()).train();
        OmniglotRunBuilder.build(held, true, dir, 12, 2015L);

        InMemoryImages all = Omniglot.fromZip(zip, OmniglotDefaults.imageOptions());
        LabeledImages train = Splits.byGroup(all, Omniglot.ALPHABET, List.of("Korean", "Latin"), List.of(), heldOut)
                .train();
        TwinNetwork net = OmniglotDefaults.twin(42L);
        Adam adam = new Adam(net.namedParameters(), OmniglotDefaults.optimizer());
        assertEquals(10.0, OmniglotDefaults.config().maxMinutes());
        TrainerConfig cfg = OmniglotDefaults.config().withEpochs(1, 60).withValidation(10, 0, 1).withAugment(false)
                .withMaxMinutes(0);
        TrainingResult r = new SiameseTrainer(net, adam, null, null, TrainingListener.NONE).fit(train, null, cfg);
        assertEquals(60, r.steps());

        OmniglotRuns runs = OmniglotRuns.read(dir, OmniglotDefaults.imageOptions());
        OmniglotRuns.Score model = runs.evaluate(OmniglotRuns.embeddings(net));
        OmniglotRuns.Score pixels = runs.evaluate(OmniglotRuns.pixels());
        System.out.println("Omniglot 20-way, 60 steps: model " + model + ", pixels " + pixels + ", "
                + String.format("%.1f s training", r.seconds()));
        assertTrue(model.accuracy() > pixels.accuracy() + 0.10, "model " + model + " vs pixels " + pixels);
    }
}
