package dev.oneshot.app.cli;

import dev.oneshot.siamese.model.Provenance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @Test
    void helpListsEveryCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code());
        for (Command c : Main.COMMANDS) {
            assertTrue(r.out().contains("  " + c.name() + " "), c.name());
        }
        for (String name : new String[] {"demo", "train", "eval", "calibrate", "enroll", "identify", "verify", "embed",
                "info", "gradcheck", "bench"}) {
            assertTrue(r.out().contains("  " + name + " "), name + " in " + r.out());
        }
        assertTrue(!r.out().contains("coming"), "every command of the contract is built: " + r.out());
    }

    @Test
    void versionPrintsTheVersionAndCommitThatModelCardsRecord() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("oneshot " + Provenance.currentVersion() + " (commit " + Provenance.currentCommit() + ")\n",
                r.out().replace("\r\n", "\n"));
        assertTrue(r.out().matches("oneshot \\S+ \\(commit ([0-9a-f]{40}|unknown)\\)\\R"), r.out());
        assertTrue(Cli.run("--help").out().contains("--version"), "the help names --version");
        Cli.Result extra = Cli.run("--version", "train");
        assertEquals(2, extra.code());
        assertTrue(extra.err().contains("--version takes no arguments, got 'train'"), extra.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (Command c : Main.COMMANDS) {
            Cli.Result r = Cli.run(c.name(), "--help");
            assertEquals(0, r.code(), c.name());
            assertTrue(r.out().startsWith("usage: oneshot " + c.name()), r.out());
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Result r = Cli.run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
    }

    @Test
    void unknownOptionPrintsTheMessageAndTheUsageLine() {
        Cli.Result r = Cli.run("bench", "--fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown option '--fast'"), r.err());
        assertTrue(r.err().contains("usage: oneshot bench"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void optionTablesParseTypedValues() throws Exception {
        Option<Integer> way = Option.integer("way", "N", 2, 10, "classes");
        Option<Integer> shot = Option.integer("shot", "K", 1, 10, "shots").orElse(1);
        Option<Boolean> json = Option.flag("json", "json");
        Options table = new Options("[--way N]", "test", "X...", 0, 5, java.util.List.of(way, shot, json));
        Options.Parsed a = table.parse(new String[] {"--way=5", "x", "--json", "--", "--y"});
        assertEquals(5, a.get(way));
        assertEquals(1, a.get(shot), "the default");
        assertTrue(a.get(json));
        assertTrue(!a.has(shot));
        assertEquals(java.util.List.of("x", "--y"), a.positionals());
        Options.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> table.parse(new String[] {"--way", "five"}));
        assertEquals("--way needs an integer, got 'five'", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> table.parse(new String[] {"--way", "11"}));
        assertEquals("--way must be between 2 and 10, got 11", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> table.parse(new String[] {"--json=yes"}));
        assertEquals("option --json takes no value", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> table.parse(new String[] {"--shot"}));
        assertEquals("option --shot needs a value (K)", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> new Options("", "", java.util.List.of(way.required())).parse(new String[0]));
        assertEquals("missing required option --way", e.getMessage());
    }

    /** Help text, parsing and docs/cli.md come from one table per command. */
    @Test
    void helpShowsEveryOptionWithItsDefault() {
        Cli.Result r = Cli.run("train", "--help");
        for (Option<?> o : new TrainCommand().options().options) {
            assertTrue(r.out().contains(o.synopsis()), o.synopsis() + " in " + r.out());
        }
        assertTrue(r.out().contains("(default: 42)"), r.out());
        assertTrue(r.out().contains("--data SPEC") && r.out().contains("(required)"), r.out());
    }

    @Test
    void recipesListsTheBuiltInsAndPrintsOneAsJson() {
        Cli.Result r = Cli.run("recipes");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, r.out().trim().lines().count(), r.out());
        assertTrue(r.out().startsWith("fashion   28×28 IDX data"), r.out());
        assertTrue(r.out().contains("\nfaces     small grey frontal faces"), r.out());
        Cli.Result one = Cli.run("recipes", "faces");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().startsWith("{\n  \"name\": \"faces\","), one.out());
        Cli.Result json = Cli.run("recipes", "--json");
        assertTrue(json.out().startsWith("[{\"name\":\"fashion\""), json.out());
        Cli.Result bad = Cli.run("recipes", "face");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown recipe 'face'"), bad.err());
    }
}
