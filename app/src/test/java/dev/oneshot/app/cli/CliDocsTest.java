package dev.oneshot.app.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code docs/cli.md} is what the option tables generate: change a table, regenerate the page. */
class CliDocsTest {
    @Test
    void docsCliMdIsUpToDate() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Path page = root.resolve("docs/cli.md");
        String expected = CliDocs.markdown();
        assertEquals(expected, Files.readString(page), page + " is stale: regenerate it with "
                + "./oneshot help --markdown > docs/cli.md");
    }

    @Test
    void everyCommandAndOptionIsOnThePage() {
        String page = CliDocs.markdown();
        for (Command c : Main.COMMANDS) {
            assertTrue(page.contains("## oneshot " + c.name() + "\n"), c.name());
            for (Option<?> o : c.options().options) {
                assertTrue(page.contains("| `" + o.synopsis() + "` |"), c.name() + " " + o.synopsis());
            }
        }
        assertTrue(page.contains("| `faces` | orl | small grey frontal faces"), page);
    }

    @Test
    void helpMarkdownPrintsThePage() {
        Cli.Result r = Cli.run("help", "--markdown");
        assertEquals(0, r.code());
        assertEquals(CliDocs.markdown(), r.out());
    }
}
