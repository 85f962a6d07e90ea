package dev.oneshot.siamese.readme;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.export.OnnxExport;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/export.md's Java sample, compiled and run on an exported model; the test also checks that
 * the page shows exactly the sample's lines.
 */
class OnnxJavaExampleTest {
    @TempDir
    Path dir;

    // ---- docs/export.md Java sample (begin) ----
    static boolean docsSample(Path onnxFile, float[] pixels, int h, int w) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnxFile.toString(), options);
             OnnxTensor images = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {2, 1, h, w});
             OrtSession.Result result = session.run(Map.of("images", images))) {
            float[][] e = (float[][]) result.get(0).getValue();                   // embeddings [2, d]
            double tau = Double.parseDouble(session.getMetadata().getCustomMetadata().get("oneshot.threshold"));
            double d = 0;
            for (int i = 0; i < e[0].length; i++) {
                d += (e[0][i] - e[1][i]) * (e[0][i] - e[1][i]);
            }
            return d <= tau;                                                        // the same identity?
        }
    }
    // ---- docs/export.md Java sample (end) ----

    @Test
    void theDocsSampleAnswersAsTheJavaModelDoes() throws IOException, OrtException {
        SiameseModel untrained = TrainingRun.build(Recipes.faces(), 5);
        int[][] pairs = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        double[] d = new double[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            Tensor e = untrained.embed(images(untrained, pairs[i]));
            d[i] = e.sliceRows(0, 1).sub(e.sliceRows(1, 2)).square().sum().item();
        }
        double tau = (java.util.Arrays.stream(d).min().orElseThrow() + java.util.Arrays.stream(d).max().orElseThrow()) / 2;
        SiameseModel model = untrained.withCard(untrained.card().withCalibration(new Threshold(tau, "between the pairs")));
        Path modelFile = dir.resolve("model.safetensors");
        model.save(modelFile);
        Path onnxFile = dir.resolve("model.onnx");
        OnnxExport.embedding(SiameseModel.load(modelFile)).write(onnxFile); // the docs' library call

        int same = 0;
        for (int i = 0; i < pairs.length; i++) {
            boolean expected = d[i] <= tau;
            same += expected ? 1 : 0;
            assertEquals(expected, docsSample(onnxFile, images(model, pairs[i]).data(), 28, 23), "pair " + i + ": d = "
                    + d[i] + ", τ = " + tau);
        }
        assertTrue(same > 0 && same < pairs.length, "both answers occur");
    }

    private Tensor images(SiameseModel model, int[] seeds) throws IOException {
        return model.readImages(List.of(png(seeds[0]).toString(), png(seeds[1]).toString()));
    }

    @Test
    void theDocsPageShowsTheSample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/oneshot/siamese/readme/OnnxJavaExampleTest.java"),
                StandardCharsets.UTF_8);
        int begin = source.indexOf("    // ---- docs/export.md Java sample (begin) ----");
        int end = source.indexOf("    // ---- docs/export.md Java sample (end) ----");
        List<String> body = source.subList(begin + 2, end - 1).stream().map(l -> l.substring(Math.min(8, l.length())))
                .toList();
        String page = Files.readString(Path.of("../docs/export.md"), StandardCharsets.UTF_8);
        String block = page.substring(page.indexOf("```java\nOrtEnvironment") + "```java\n".length());
        block = block.substring(0, block.indexOf("```"));
        assertEquals(String.join("\n", body) + "\n", block);
    }

    private Path png(int seed) throws IOException {
        java.util.Random rng = new java.util.Random(seed);
        BufferedImage img = new BufferedImage(46, 56, BufferedImage.TYPE_BYTE_GRAY);
        int base = rng.nextInt(200);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 46; x++) {
                img.getRaster().setSample(x, y, 0, Math.min(255, base + rng.nextInt(56)));
            }
        }
        Path p = dir.resolve("img" + seed + ".png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }
}
