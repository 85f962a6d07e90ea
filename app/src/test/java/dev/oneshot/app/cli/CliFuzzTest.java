package dev.oneshot.app.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.core.testing.FuzzFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the command line: argument parsing and the commands that read the files
 * they are given ({@code info embed enroll identify verify}). The input is the command line,
 * one argument per line; the first line picks the command. A few tokens stand for real files
 * in a scratch folder so the fuzzer gets past "no such file": {@code @model} (a tiny trained
 * model), {@code @img} (an 8×8 PNG), {@code @gallery} and {@code @out} (paths it may create).
 * {@code train}, {@code eval}, {@code calibrate}, {@code demo}, {@code bench} and
 * {@code gradcheck} are left out: their run time grows with their arguments by design.
 *
 * <p>Contract: the command returns an exit code, or throws what {@link Main#run} reports as a
 * usage error ({@link Options.UsageException}) or a runtime failure with a message
 * ({@link IOException}, {@link IllegalArgumentException}); never another exception (a
 * NullPointerException would be printed as a bare class name).
 */
class CliFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("cli-fuzz");
    private static final List<String> COMMANDS = List.of("info", "embed", "enroll", "identify", "verify");
    private static final Path MODEL;
    private static final Path IMAGE;

    static {
        try {
            Path data = Cli.imageFolder(DIR.resolve("images"), 10, 12);
            Cli.Result r = Cli.run("train", "--data", "folder:" + data, "--out", DIR.resolve("run").toString(),
                    "--recipe", Cli.tinyRecipe(DIR), "--steps", "2", "--seed", "1");
            if (r.code() != 0) {
                throw new IllegalStateException("CliFuzzTest: training the tiny model failed: " + r.err());
            }
            MODEL = DIR.resolve("run/model.safetensors");
            IMAGE = data.resolve("class01/img00.png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void commandLine(byte[] bytes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length > 64) {
            return; // each argument may name an image to embed: keep one input's work bounded
        }
        String name = lines[0];
        Command cmd = Main.COMMANDS.stream().filter(c -> c.name().equals(name) && COMMANDS.contains(name))
                .findFirst().orElse(null);
        if (cmd == null) {
            return;
        }
        String[] args = Arrays.stream(lines, 1, lines.length).map(CliFuzzTest::substitute).toArray(String[]::new);
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            return; // Main prints the usage itself
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        FuzzContract.check("", 64L << 20, bytes.length, 1 << 16, () -> {
            int code = cmd.run(args, sink, sink);
            if (code != Main.OK && code != Main.FAILURE && code != Main.USAGE) {
                throw new AssertionError(name + ": exit code " + code);
            }
        }, Options.UsageException.class, IOException.class, IllegalArgumentException.class);
    }

    private static String substitute(String arg) {
        return switch (arg) {
            case "@model" -> MODEL.toString();
            case "@img" -> IMAGE.toString();
            case "@gallery" -> DIR.resolve("gallery.safetensors").toString();
            case "@out" -> DIR.resolve("out.safetensors").toString();
            default -> arg;
        };
    }
}
