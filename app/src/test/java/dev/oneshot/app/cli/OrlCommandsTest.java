package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.InputSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code orl:} data spec, H×W input sizes, open-set figures in {@code eval} and ZIP/ENTRY image arguments. */
class OrlCommandsTest {
    @TempDir
    Path dir;

    @Test
    void badOrlSpecsAreUsageErrors() {
        Cli.Result noPath = Cli.run("train", "--data", "orl", "--out", dir.toString());
        assertEquals(Main.USAGE, noPath.code());
        assertTrue(noPath.err().contains("needs a path"), noPath.err());
        Cli.Result empty = Cli.run("eval", "--model", "m", "--data", "orl:f.zip:people=30-1", "--way", "2", "--shot", "1",
                "--episodes", "1");
        assertEquals(Main.USAGE, empty.code());
        assertTrue(empty.err().contains("30-1 is empty"), empty.err());
    }

    @Test
    void inputSizes() {
        assertArrayEquals(new int[] {56, 46}, InputSpec.parseSize("56x46", "size"));
        assertArrayEquals(new int[] {56, 46}, InputSpec.parseSize("56×46", "size"));
        assertArrayEquals(new int[] {28, 28}, InputSpec.parseSize("28", "size"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSpec.parseSize("56x", "size"));
        assertEquals("size must be PX or HEIGHTxWIDTH (e.g. 28 or 56x46), got '56x'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InputSpec.parseSize("2x46", "size"));
        assertEquals("size: image size 2×46 is outside 4..1024", e.getMessage());
    }

    /** 8 people × 5 photos of 20×16 PGMs: person p is a bright bar at row 2p (with seeded noise). */
    private Path syntheticOrl() throws IOException {
        java.util.Random rng = new java.util.Random(3);
        Path root = dir.resolve("att_faces");
        for (int p = 1; p <= 8; p++) {
            for (int y = 1; y <= 5; y++) {
                StringBuilder pgm = new StringBuilder("P2\n16 20\n255\n");
                for (int r = 0; r < 20; r++) {
                    for (int c = 0; c < 16; c++) {
                        pgm.append(((r / 2 == p) ? 200 : 30) + rng.nextInt(40)).append(' ');
                    }
                    pgm.append('\n');
                }
                Path f = root.resolve("s" + p).resolve(y + ".pgm");
                Files.createDirectories(f.getParent());
                Files.writeString(f, pgm);
            }
        }
        return root;
    }

    private Path zipOf(Path root) throws IOException {
        Path zip = dir.resolve("faces.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
             var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry("att_faces/" + root.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void trainEvalEnrollIdentifyOnOrlLayout() throws Exception {
        Path zip = zipOf(syntheticOrl());
        Path out = dir.resolve("run");
        Cli.Result t = Cli.run("train", "--data", "orl:" + zip + ":people=1-5", "--out", out.toString(), "--steps", "6");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("training on 25 images of 5 classes of orl:" + zip + ":people=1-5; validation: none"),
                t.err());
        assertTrue(t.err().contains("recipe faces: triplet loss (batch-all mining), P×K = 5×4 (all the training classes;"
                + " the recipe asks for 15), 6 steps"), t.err());
        Path model = out.resolve("model.safetensors");
        Cli.Result info = Cli.run("info", model.toString());
        assertTrue(info.out().contains("\"height\":28,\"width\":23"), info.out());

        Cli.Result ev = Cli.run("eval", "--model", model.toString(), "--data", "orl:" + zip + ":people=5-8", "--way", "3",
                "--shot", "1", "--queries", "4", "--episodes", "20", "--trials", "10", "--json");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("\"classes\":4"), ev.out());
        assertTrue(ev.out().contains("\"open_set\":{\"enrolled\":2,\"shot\":1,\"trials\":10,\"rank1\":"), ev.out());
        assertTrue(ev.out().contains("\"baseline_open_set\":{") && ev.out().contains("\"target_far\":0.01"), ev.out());
        Cli.Result text = Cli.run("eval", "--model", model.toString(), "--data", "orl:" + zip + ":people=5-8", "--way",
                "3", "--shot", "1", "--queries", "4", "--episodes", "20", "--trials", "10");
        assertTrue(text.out().contains("open set: 10 trials, 2 of 4 classes enrolled with 1 photo(s)"), text.out());
        assertTrue(text.out().contains("DIR") && text.out().contains("@ FAR 1%"), text.out());
        Cli.Result tooMany = Cli.run("eval", "--model", model.toString(), "--data", "orl:" + zip + ":people=5-8", "--way",
                "3", "--shot", "1", "--queries", "4", "--episodes", "20", "--enrolled", "4");
        assertEquals(Main.USAGE, tooMany.code());
        assertTrue(tooMany.err().contains("--enrolled 4 leaves no stranger among the 4 classes"), tooMany.err());

        Path gallery = dir.resolve("g.safetensors");
        Cli.Result en = Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString(), "--tau", "4",
                "--id", "s6", zip + "/att_faces/s6/1.pgm");
        assertEquals(0, en.code(), en.err());
        Cli.Result id = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(),
                zip + "/att_faces/s6/2.pgm");
        assertEquals(0, id.code(), id.err());
        assertTrue(id.out().startsWith(zip + "/att_faces/s6/2.pgm  s6  distance"), id.out());
        Cli.Result missing = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(),
                zip + "/att_faces/s6/99.pgm");
        assertEquals(Main.FAILURE, missing.code());
        assertTrue(missing.err().contains("the zip " + zip + " has no file entry 'att_faces/s6/99.pgm'"), missing.err());
    }
}
