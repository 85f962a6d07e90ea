package dev.oneshot.siamese.eval;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OmniglotRunsTest {
    static final int SIDE = 8;

    /** {@code <dir holding mvnw>/../shared/data/omniglot}. */
    static Path omniglotDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("../shared/data/omniglot") : p.resolve("../shared/data/omniglot").normalize();
    }

    /**
     * Alphabets "Alpha" (20 characters), "Beta" (22), "Gamma" (5, too small); 3 drawers each;
     * 8×8 binary random images, all distinct.
     */
    static InMemoryImages synthetic() {
        String[] alphabets = {"Alpha", "Beta", "Gamma"};
        int[] sizes = {20, 22, 5};
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Map<String, String>> meta = new ArrayList<>();
        for (int a = 0; a < alphabets.length; a++) {
            for (int c = 1; c <= sizes[a]; c++) {
                String ch = "character" + OmniglotRunBuilder.pad(c, 2);
                names.add(alphabets[a] + "/" + ch);
                for (int d = 1; d <= 3; d++) {
                    labels.add(names.size() - 1);
                    String drawer = OmniglotRunBuilder.pad(d, 2);
                    meta.add(Map.of(Omniglot.ALPHABET, alphabets[a], Omniglot.CHARACTER, ch, Omniglot.DRAWER, drawer,
                            Omniglot.FILE, alphabets[a] + "/" + ch + "/x_" + drawer + ".png"));
                }
            }
        }
        SeededRandom rng = new SeededRandom(7);
        float[] px = new float[labels.size() * SIDE * SIDE];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextDouble() < 0.3 ? 1f : 0f;
        }
        return new InMemoryImages(px, new int[] {1, SIDE, SIDE}, labels.stream().mapToInt(Integer::intValue).toArray(),
                names, meta);
    }

    static List<String> listRelative(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                    .toList();
        }
    }

    @Test
    void builderWritesLakesLayoutExactly(@TempDir Path dir) throws IOException {
        InMemoryImages src = synthetic();
        OmniglotRunBuilder.Result r = OmniglotRunBuilder.build(src, true, dir, 3, 11L);
        assertEquals(List.of("Gamma"), r.skipped());
        List<String> expected = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            String rn = "run0" + run;
            expected.add(rn + "/class_labels.txt");
            for (int k = 1; k <= 20; k++) {
                expected.add(rn + "/test/item" + OmniglotRunBuilder.pad(k, 2) + ".png");
                expected.add(rn + "/training/class" + OmniglotRunBuilder.pad(k, 2) + ".png");
            }
        }
        assertEquals(expected.stream().sorted().toList(), listRelative(dir));
        Map<String, Integer> fileIndex = new HashMap<>();
        for (int i = 0; i < src.size(); i++) {
            fileIndex.put(src.metadata(i).get(Omniglot.FILE), i);
        }
        for (int run = 0; run < 3; run++) {
            OmniglotRunBuilder.BuiltRun b = r.runs().get(run);
            assertEquals(run % 2 == 0 ? "Alpha" : "Beta", b.alphabet(), "round-robin over eligible alphabets");
            assertNotEquals(b.drawerA(), b.drawerB());
            List<String> lines = Files.readAllLines(dir.resolve(b.name()).resolve("class_labels.txt"));
            assertEquals(20, lines.size());
            Set<String> classes = new HashSet<>();
            Set<String> characters = new HashSet<>();
            for (int j = 0; j < 20; j++) {
                String item = b.name() + "/test/item" + OmniglotRunBuilder.pad(j + 1, 2) + ".png";
                String cls = b.name() + "/training/class" + OmniglotRunBuilder.pad(b.testToClass()[j] + 1, 2) + ".png";
                assertEquals(item + " " + cls, lines.get(j));
                classes.add(cls);
                // same character, different drawers, one alphabet
                String t = b.testSources().get(j);
                String c = b.trainingSources().get(b.testToClass()[j]);
                assertEquals(c.substring(0, c.lastIndexOf('/')), t.substring(0, t.lastIndexOf('/')));
                assertTrue(c.endsWith("_" + b.drawerA() + ".png") && t.endsWith("_" + b.drawerB() + ".png"));
                assertTrue(t.startsWith(b.alphabet() + "/"));
                characters.add(t.substring(0, t.lastIndexOf('/')));
                // pixels: strokes (1) are written black (0) on white
                assertPng(dir.resolve(item), src.image(fileIndex.get(t)));
                assertPng(dir.resolve(cls), src.image(fileIndex.get(c)));
            }
            assertEquals(20, classes.size());
            assertEquals(20, characters.size());
        }
        // seeded: the same seed writes the same runs
        Path again = dir.resolve("again");
        OmniglotRunBuilder.build(src, true, again, 3, 11L);
        for (String f : expected) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        // no overwriting
        assertThrows(IOException.class, () -> OmniglotRunBuilder.build(src, true, dir, 1, 11L));
    }

    static void assertPng(Path file, float[] strokesOne) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(SIDE, img.getWidth());
        assertEquals(SIDE, img.getHeight());
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int expected = strokesOne[y * SIDE + x] == 1f ? 0 : 255;
                assertEquals(expected, img.getRaster().getSample(x, y, 0), file + " at " + x + "," + y);
            }
        }
    }

    @Test
    void builderRejectsSourcesWithoutAnEligibleAlphabet(@TempDir Path dir) {
        InMemoryImages src = synthetic();
        var e = assertThrows(IllegalArgumentException.class,
                () -> OmniglotRunBuilder.build(src, true, dir, 1, 30, 1L));
        assertTrue(e.getMessage().contains("Alpha=20"), e.getMessage());
    }

    @Test
    void readerRoundTripFromFolderAndZip(@TempDir Path dir) throws IOException {
        InMemoryImages src = synthetic();
        Path runsDir = dir.resolve("runs");
        OmniglotRunBuilder.Result built = OmniglotRunBuilder.build(src, true, runsDir, 4, 3L);
        Map<String, Integer> fileIndex = new HashMap<>();
        for (int i = 0; i < src.size(); i++) {
            fileIndex.put(src.metadata(i).get(Omniglot.FILE), i);
        }
        Path zip = dir.resolve("all_runs.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : listRelative(runsDir)) {
                out.putNextEntry(new ZipEntry("all_runs/" + f));
                out.write(Files.readAllBytes(runsDir.resolve(f)));
                out.closeEntry();
            }
        }
        for (Path source : List.of(runsDir, zip)) {
            // inverted on reading, as for training: strokes back to 1
            OmniglotRuns runs = OmniglotRuns.read(source, ImageOptions.nativeSize().inverted(true));
            assertEquals(4, runs.runs().size());
            for (int r = 0; r < 4; r++) {
                OmniglotRuns.Run run = runs.runs().get(r);
                OmniglotRunBuilder.BuiltRun b = built.runs().get(r);
                assertEquals(b.name(), run.name());
                assertEquals(20, run.trainingCount());
                assertEquals(20, run.testCount());
                assertArrayEquals(b.testToClass(), run.answers());
                assertEquals(b.name() + "/training/class01.png", run.trainingFiles().get(0));
                assertEquals(b.name() + "/test/item20.png", run.testFiles().get(19));
                LabeledImages im = run.images();
                assertEquals(40, im.size());
                for (int k = 0; k < 20; k++) {
                    assertArrayEquals(src.image(fileIndex.get(b.trainingSources().get(k))), im.image(k));
                    assertArrayEquals(src.image(fileIndex.get(b.testSources().get(k))), im.image(20 + k));
                    assertEquals(b.testToClass()[k], im.label(20 + k));
                }
            }
            // random distinct images: pixels score something; a feature function that returns the
            // ground truth as a one-hot code scores 1; constant features score about 1/20.
            assertEquals(1.0, runs.evaluate(d -> oneHot(d)).accuracy());
            OmniglotRuns.Score constant = runs.evaluate(d -> new Embedder.Features(new float[d.size()], d.size(), 1));
            assertTrue(constant.accuracy() < 0.3, "ties broken at random: " + constant);
        }
    }

    static Embedder.Features oneHot(LabeledImages d) {
        float[] v = new float[d.size() * d.classCount()];
        for (int i = 0; i < d.size(); i++) {
            v[i * d.classCount() + d.label(i)] = 1;
        }
        return new Embedder.Features(v, d.size(), d.classCount());
    }

    @Test
    void pixelsOnRealOmniglotRunsAndIdenticalImages(@TempDir Path dir) throws IOException {
        Path zip = omniglotDir().resolve("images_background_small1.zip");
        RequiredData.require(Files.exists(zip), "Omniglot not found at " + zip);
        InMemoryImages all = Omniglot.fromZip(zip);
        LabeledImages held = Splits.byGroup(all, Omniglot.ALPHABET, List.of("Greek", "Early_Aramaic"), List.of(),
                List.of()).train();
        Path runsDir = dir.resolve("runs");
        OmniglotRunBuilder.build(held, true, runsDir, 4, 5L);
        BufferedImage img = ImageIO.read(runsDir.resolve("run01/training/class01.png").toFile());
        assertEquals(105, img.getWidth());
        assertEquals(105, img.getHeight());
        OmniglotRuns runs = OmniglotRuns.read(runsDir, ImageOptions.square(35).inverted(true));
        OmniglotRuns.Score px = runs.evaluate(OmniglotRuns.pixels());
        assertTrue(px.accuracy() > 0.05 && px.accuracy() <= 1, px.toString());
        assertEquals(80, px.items());
        // native files decode to the same binary pixels as the Omniglot originals
        OmniglotRuns nat = OmniglotRuns.read(runsDir, Omniglot.DEFAULT_OPTIONS);
        float[] first = nat.runs().get(0).images().image(0);
        for (float v : first) {
            assertTrue(v == 0f || v == 1f);
        }
        // make every test item the very image of its training class: pixels then score 100%
        for (OmniglotRuns.Run run : runs.runs()) {
            for (int q = 0; q < run.testCount(); q++) {
                Files.copy(runsDir.resolve(run.trainingFiles().get(run.answers()[q])), runsDir.resolve(run.testFiles().get(q)),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertEquals(1.0, OmniglotRuns.read(runsDir, ImageOptions.square(35).inverted(true))
                .evaluate(OmniglotRuns.pixels()).accuracy());
    }

    /** One 4-way run with {@code labels} as class_labels.txt. */
    static Path run(Path dir, String labels) throws IOException {
        Path r = dir.resolve("run01");
        Files.createDirectories(r.resolve("training"));
        Files.createDirectories(r.resolve("test"));
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 1; k <= 4; k++) {
            ImageIO.write(img, "png", r.resolve("training/class0" + k + ".png").toFile());
            ImageIO.write(img, "png", r.resolve("test/item0" + k + ".png").toFile());
        }
        Files.writeString(r.resolve("class_labels.txt"), labels, StandardCharsets.UTF_8);
        return dir;
    }

    static final String GOOD = """
            run01/test/item01.png run01/training/class02.png
            run01/test/item02.png run01/training/class01.png
            run01/test/item03.png run01/training/class04.png
            run01/test/item04.png run01/training/class03.png
            """;

    @Test
    void wellFormedHandWrittenRunParses(@TempDir Path dir) throws IOException {
        OmniglotRuns runs = OmniglotRuns.read(run(dir, GOOD.replace("\n", "\r\n")), ImageOptions.nativeSize());
        assertArrayEquals(new int[] {1, 0, 3, 2}, runs.runs().get(0).answers());
    }

    @Test
    void malformedClassLabelsFailNamingFileAndLine(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {GOOD.replace("item02.png run01", "item02.png  extra run01"), ":2: expected"},
            {GOOD.replace("run01/test/item03.png", "run02/test/item03.png"), ":3: first field must be run01/test/"},
            {GOOD.replace("run01/training/class04.png", "run01/train/class04.png"), ":3: second field must be"},
            {GOOD.replace("class03.png", "class09.png"), ":4: training image"},
            {GOOD.replace("item04.png", "item09.png"), ":4: test item"},
            {GOOD.replace("item04.png", "item01.png"), ":4: test item run01/test/item01.png is labelled twice"},
            {GOOD.replace("class02.png\n", "class02.png\n\n"), ":2: empty line"},
            {GOOD.substring(0, GOOD.indexOf("run01/test/item04")), "item04.png has no line in"},
            {"", "labels no test item"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path d = dir.resolve("case" + i);
            run(d, cases[i][0]);
            var e = assertThrows(IOException.class, () -> OmniglotRuns.read(d, ImageOptions.nativeSize()), cases[i][1]);
            assertTrue(e.getMessage().contains("class_labels.txt") && e.getMessage().contains(cases[i][1]),
                    "case " + i + ": " + e.getMessage());
        }
        Path missing = dir.resolve("missing");
        run(missing, GOOD);
        Files.delete(missing.resolve("run01/class_labels.txt"));
        var e = assertThrows(IOException.class, () -> OmniglotRuns.read(missing, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("class_labels.txt"), e.getMessage());
        var none = assertThrows(IOException.class, () -> OmniglotRuns.read(Files.createDirectories(dir.resolve("empty")),
                ImageOptions.nativeSize()));
        assertTrue(none.getMessage().contains("no runNN folders"), none.getMessage());
    }
}
