package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.data.FashionMnist;
import dev.oneshot.nn.data.IdxDataset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IdxImagesTest {
    @Test
    void wrapsAnIdxDatasetWithoutCopying() {
        float[] px = new float[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 12f;
        }
        IdxImages d = new IdxImages(new IdxDataset(Tensor.wrap(px, 3, 1, 2, 2), new int[] {2, 0, 2}), null);
        assertEquals(3, d.size());
        assertEquals(3, d.classCount());
        assertEquals("2", d.className(2));
        assertArrayEquals(new int[] {1, 2, 2}, d.imageShape());
        assertArrayEquals(new float[] {4 / 12f, 5 / 12f, 6 / 12f, 7 / 12f}, d.image(1));
        Tensor g = d.gather(2, 0);
        assertArrayEquals(new int[] {2, 1, 2, 2}, g.shape());
        assertEquals(8 / 12f, g.data()[0]);
        assertArrayEquals(new int[][] {{1}, {}, {0, 2}}, d.indicesByClass());
    }

    @Test
    void fashionMnistTest() throws IOException {
        RequiredData.require(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
        IdxImages d = IdxImages.fashionMnistTest(FashionMnist.DEFAULT_DIR);
        assertEquals(10_000, d.size());
        assertEquals(10, d.classCount());
        assertEquals("Ankle boot", d.className(9));
        assertArrayEquals(new int[] {1, 28, 28}, d.imageShape());
        assertEquals(9, d.label(0)); // the first test image is an ankle boot
        for (int[] members : d.indicesByClass()) {
            assertEquals(1000, members.length);
        }
        Splits.Split s = Splits.byClass(d, 0.5, 0.2, 1);
        assertEquals(10, s.train().classCount() + s.val().classCount() + s.test().classCount());
        assertEquals(4, new PkBatchSampler(s.train(), 4, 8, 1).nextEpoch().get(0).indices().length / 8);
    }
}
