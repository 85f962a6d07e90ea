package dev.oneshot.app.cli;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --checkpoint-every N} and {@code --resume}: a run picked up from its checkpoint ends
 * with bitwise the weights of the uninterrupted run.
 */
class TrainResumeCommandTest {

    private static String[] train(Path data, Path out, String... extra) throws Exception {
        String[] base = {"train", "--data", "folder:" + data, "--out", out.toString(), "--recipe",
                Cli.tinyRecipe(Files.createDirectories(out.getParent())), "--seed", "3"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheSameWeights(@TempDir Path tmp) throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        Path straight = tmp.resolve("straight");
        Cli.Result a = Cli.run(train(data, straight));
        assertEquals(0, a.code(), a.err());
        assertFalse(Files.exists(straight.resolve(TrainCommand.CHECKPOINT_FILE)), "no checkpoint unless asked");

        // A checkpointed run: the file holds the state after step 8 of 10 (every 4 steps). Running
        // again with --resume picks it up there, as after a crash at step 9, and must finish on the
        // same weights.
        Path resumed = tmp.resolve("resumed");
        Cli.Result b = Cli.run(train(data, resumed, "--checkpoint-every", "4"));
        assertEquals(0, b.code(), b.err());
        Path ck = resumed.resolve(TrainCommand.CHECKPOINT_FILE);
        assertTrue(Files.exists(ck), b.err());
        Files.delete(resumed.resolve("model.safetensors"));
        Cli.Result c = Cli.run(train(data, resumed, "--resume", "--checkpoint-every", "4"));
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("resuming from " + ck), c.err());
        // It really continued (a fresh start would also end on these weights: training is deterministic).
        assertTrue(a.err().contains("step 5: mean loss") && a.err().contains("step 10: mean loss"), a.err());
        assertFalse(c.err().contains("step 5: mean loss"), c.err());
        assertTrue(c.err().contains("step 10: mean loss"), c.err());

        SafetensorsFile x = Safetensors.read(straight.resolve("model.safetensors"));
        SafetensorsFile y = Safetensors.read(resumed.resolve("model.safetensors"));
        assertEquals(x.tensors().keySet(), y.tensors().keySet());
        for (String name : x.tensors().keySet()) {
            assertArrayEquals(x.tensor(name).data(), y.tensor(name).data(), name);
        }
    }

    @Test
    void resumingWithOtherOptionsIsRefusedNamingTheCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        Path out = tmp.resolve("run");
        assertEquals(0, Cli.run(train(data, out, "--checkpoint-every", "4")).code());
        String[] args = train(data, out, "--resume", "--checkpoint-every", "4");
        assertEquals("3", args[args.length - 4]);
        args[args.length - 4] = "4"; // --seed 3 → 4
        Cli.Result r = Cli.run(args);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(TrainCommand.CHECKPOINT_FILE) && r.err().contains("another recipe or run"),
                r.err());
    }

    @Test
    void resumeWithoutACheckpointStartsAfreshAndSaysSo(@TempDir Path tmp) throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        Cli.Result r = Cli.run(train(data, tmp.resolve("run"), "--resume"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no checkpoint at"), r.err());
        assertTrue(r.err().contains("checkpoint every 50 steps"), r.err());
    }
}
