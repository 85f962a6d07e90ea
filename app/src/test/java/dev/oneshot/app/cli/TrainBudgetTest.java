package dev.oneshot.app.cli;

import dev.oneshot.siamese.model.SiameseModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A budget is a budget: {@code oneshot train --max-minutes 1}, run as its own process (JVM
 * start-up included), ends within 45–85 s of wall time, having trained for the minute with the
 * recipe's schedule laid over it; the log and the model card say what ended training.
 */
class TrainBudgetTest {
    @Test
    void oneMinuteOfTrainingTakesAboutAMinuteOfWallTime(@TempDir Path tmp) throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        Path out = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector"); // as ./oneshot runs
        }
        cmd.addAll(List.of(Main.class.getName(), "train", "--data", "folder:" + data, "--out", out.toString(),
                "--max-minutes", "1"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile())
                .start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "train --max-minutes 1 still running after 150 s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String log = Files.readString(tmp.resolve("log.txt"), StandardCharsets.UTF_8);
        System.err.printf("TrainBudgetTest: --max-minutes 1 took %.1f s of wall time%n", seconds);
        assertEquals(0, p.exitValue(), log);
        assertTrue(seconds >= 45 && seconds <= 85, "--max-minutes 1 took " + seconds + " s:\n" + log);
        String stoppedBy = SiameseModel.load(out.resolve("model.safetensors")).card().provenance().stoppedBy();
        assertTrue(stoppedBy.startsWith("time-budget: the time budget ("), stoppedBy);
        assertTrue(log.contains(stoppedBy), "the log says what ended training: " + log);
    }
}
