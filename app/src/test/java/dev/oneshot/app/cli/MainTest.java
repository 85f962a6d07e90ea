package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
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
    void argsParser() throws Exception {
        Args a = Args.parse(new String[] {"--way=5", "x", "--json", "--shot", "1", "--", "--y"},
                java.util.Set.of("way", "shot"), java.util.Set.of("json"));
        assertEquals(5, a.integer("way", 0, 2, 10));
        assertEquals(1, a.integer("shot", 0, 1, 10));
        assertTrue(a.flag("json"));
        assertEquals(java.util.List.of("x", "--y"), a.positionals());
        Args bad = Args.parse(new String[] {"--way", "five"}, java.util.Set.of("way"), java.util.Set.of());
        Args.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(Args.UsageException.class,
                () -> bad.integer("way", 0, 2, 10));
        assertTrue(e.getMessage().contains("'five'"), e.getMessage());
    }

    @Test
    void jsonWriterEscapes() {
        assertEquals("{\"a\":\"q\\\"\\n\",\"b\":[1,2],\"c\":0.5,\"d\":true,\"e\":null}",
                Json.write(jsonSample()));
    }

    private static java.util.Map<String, Object> jsonSample() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", "q\"\n");
        m.put("b", new int[] {1, 2});
        m.put("c", 0.5);
        m.put("d", true);
        m.put("e", Double.NaN);
        return m;
    }
}
