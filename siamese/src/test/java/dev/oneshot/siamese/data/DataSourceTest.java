package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.nn.data.FashionMnist;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourceTest {
    @Test
    void specsParseIntoTheirKinds() {
        DataSource.Idx unseen = assertInstanceOf(DataSource.Idx.class, DataSource.parse("fashion-mnist:unseen"));
        assertEquals(FashionMnist.DEFAULT_DIR, unseen.dir());
        assertArrayEquals(new int[] {7, 8, 9}, unseen.classes());
        assertEquals("", unseen.file());
        DataSource.Idx explicit = assertInstanceOf(DataSource.Idx.class,
                DataSource.parse("mnist-idx:/data/mnist:test:classes=0-2,5"));
        assertEquals(Path.of("/data/mnist"), explicit.dir());
        assertEquals("test", explicit.file());
        assertArrayEquals(new int[] {0, 1, 2, 5}, explicit.classes());
        DataSource.Orl orl = assertInstanceOf(DataSource.Orl.class, DataSource.parse("orl:faces.zip:people=31-40"));
        assertEquals(new OrlFaces.People(31, 40), orl.people());
        assertEquals(Path.of("faces.zip"), orl.path());
        DataSource.OmniglotSets om = assertInstanceOf(DataSource.OmniglotSets.class,
                DataSource.parse("omniglot:a.zip,b.zip"));
        assertEquals(List.of(Path.of("a.zip"), Path.of("b.zip")), om.paths());
        assertEquals(DataSource.Kind.FOLDER, DataSource.parse("folder:people").kind());
        assertEquals("orl:faces.zip:people=31-40", orl.spec());
    }

    @Test
    void badSpecsNameTheProblem() {
        assertEquals("unknown data spec 'mnist'; valid: " + DataSource.USAGE,
                assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("folder:")).getMessage()
                .contains("needs a path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("fashion-mnist:classes=9-2"))
                .getMessage().contains("classes=9-2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("orl:x.zip:people=0-3"))
                .getMessage().contains("0-3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist-idx:a:b"))
                .getMessage().contains("unexpected part 'b'"));
    }

    /** IDX data: training and validation read the training file, evaluation the test file; every class named. */
    @Test
    void idxDataReadsTheFileItsUseAsksFor() throws Exception {
        RequiredData.require(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
        ImageOptions opts = ImageOptions.square(28);
        LabeledImages all = DataSource.parse("fashion-mnist").load(opts, DataSource.Use.EVALUATION);
        assertEquals(10, all.classCount());
        assertEquals(10_000, all.size());
        LabeledImages unseenTest = DataSource.parse("fashion-mnist:unseen").load(opts, DataSource.Use.EVALUATION);
        assertEquals(3, unseenTest.classCount());
        assertEquals(3_000, unseenTest.size());
        assertEquals("Sneaker", unseenTest.className(0));
        LabeledImages seenTrain = DataSource.parse("fashion-mnist:seen").load(opts, DataSource.Use.TRAINING);
        assertEquals(7, seenTrain.classCount());
        assertEquals(42_000, seenTrain.size());
        assertEquals(10_000, DataSource.parse("fashion-mnist:test").load(opts, DataSource.Use.TRAINING).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSource.parse("fashion-mnist").load(ImageOptions.nativeSize(), DataSource.Use.TRAINING));
        assertTrue(e.getMessage().contains("28×28"), e.getMessage());
    }

    /**
     * IDX images go through the model's image options as files do: resized, fitted to their ink,
     * and — light on dark already — not inverted by a model that asks for strokes of 1 on 0.
     */
    @Test
    void idxImagesAreReadAsTheModelAsks() throws Exception {
        RequiredData.require(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
        DataSource unseen = DataSource.parse("fashion-mnist:unseen");
        LabeledImages stored = unseen.load(ImageOptions.square(28), DataSource.Use.EVALUATION);
        LabeledImages inverted = unseen.load(ImageOptions.square(28).inverted(true), DataSource.Use.EVALUATION);
        float[] a = new float[28 * 28];
        float[] b = new float[28 * 28];
        for (int i : new int[] {0, 1234, 2999}) {
            stored.copyImage(i, a, 0);
            inverted.copyImage(i, b, 0);
            assertArrayEquals(a, b, "image " + i + " is light on dark already: kept");
            assertEquals(stored.label(i), inverted.label(i));
        }
        assertEquals("Sneaker", inverted.className(0));
        LabeledImages big = unseen.load(ImageOptions.square(35), DataSource.Use.EVALUATION);
        assertArrayEquals(new int[] {1, 35, 35}, big.imageShape());
        LabeledImages fitted = unseen.load(ImageOptions.square(28).inverted(true).inkFitted(true),
                DataSource.Use.EVALUATION);
        fitted.copyImage(0, b, 0);
        GrayImages.Plane expected = GrayImages.convert(copy(stored, 0), 28, 28, ImageOptions.square(28).inkFitted(true));
        assertArrayEquals(expected.pixels(), b, "fitted as an image file would be");
    }

    private static float[] copy(LabeledImages images, int i) {
        float[] out = new float[28 * 28];
        images.copyImage(i, out, 0);
        return out;
    }

    @Test
    void theDefaultHoldOutDrawsClassesWithTheSeedAndSaysWhich() {
        InMemoryImages data = TestData.synthetic(TestData.repeat(3, 10), 1);
        DataSource folder = DataSource.parse("folder:people");
        DataSource.Holdout h = folder.holdOut(data, 0.2, 2, 7);
        assertEquals(8, h.train().classCount());
        assertEquals(2, h.validation().classCount());
        assertEquals(h.description(), folder.holdOut(data, 0.2, 2, 7).description(), "the same seed, the same classes");
        assertTrue(h.description().startsWith("2 of the 10 classes, drawn with seed 7: class"), h.description());
        DataSource.Holdout none = folder.holdOut(TestData.synthetic(TestData.repeat(3, 3), 1), 0.2, 2, 7);
        assertEquals(0, none.validation().classCount());
        assertEquals(3, none.train().classCount());
        assertTrue(none.description().startsWith("no validation classes: 3 classes are too few"), none.description());
    }

    @Test
    void orlHoldsOutTheLastPeopleByNumber() {
        InMemoryImages people = TestData.synthetic(TestData.repeat(4, 30), 1);
        DataSource.Holdout h = DataSource.parse("orl:faces.zip:people=1-30").holdOut(people, 0.2, 2, 7);
        assertEquals(24, h.train().classCount());
        assertEquals("class24", h.validation().className(0));
        assertEquals("class29", h.validation().className(5));
        assertTrue(h.description().startsWith("the last 6 of the 30 people by number: class24"), h.description());
    }

    @Test
    void omniglotHoldsOutWholeAlphabets() {
        InMemoryImages chars = TestData.synthetic(TestData.repeat(2, 40), 5); // 8 "alphabets" of 5 characters
        InMemoryImages withAlphabets = relabelGroups(chars);
        DataSource.Holdout h = DataSource.parse("omniglot:a.zip").holdOut(withAlphabets, 0.15, 2, 3);
        assertEquals(5, h.validation().classCount(), "one alphabet of 5 characters");
        assertEquals(35, h.train().classCount());
        assertTrue(h.description().startsWith("1 of the 8 alphabets (5 characters), drawn with seed 3: g"),
                h.description());
    }

    /** The synthetic set's {@code group} metadata as Omniglot's {@code alphabet}. */
    private static InMemoryImages relabelGroups(InMemoryImages d) {
        float[] px = new float[d.size() * d.imageSize()];
        int[] labels = new int[d.size()];
        List<Map<String, String>> meta = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < d.classCount(); c++) {
            names.add(d.className(c));
        }
        for (int i = 0; i < d.size(); i++) {
            d.copyImage(i, px, i * d.imageSize());
            labels[i] = d.label(i);
            meta.add(Map.of(Omniglot.ALPHABET, d.metadata(i).get("group")));
        }
        return new InMemoryImages(px, d.imageShape(), labels, names, meta);
    }
}
