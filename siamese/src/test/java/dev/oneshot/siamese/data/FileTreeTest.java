package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTreeTest {
    @TempDir
    Path dir;

    /** Relative path → text; written as a folder {@code tree/} and, entries in reverse order, as {@code tree.zip}. */
    private static final List<String> FILES = List.of("b/2.txt", "a/x/deep.txt", "a/1.txt", ".hidden", "top.txt");

    private Path folder() throws IOException {
        Path root = dir.resolve("tree");
        for (String f : FILES) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "text of " + f);
        }
        Files.createDirectories(root.resolve("empty"));
        return root;
    }

    private Path zip() throws IOException {
        Path zip = dir.resolve("tree.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("empty/"));
            z.closeEntry();
            for (int i = FILES.size() - 1; i >= 0; i--) {
                z.putNextEntry(new ZipEntry(FILES.get(i)));
                z.write(("text of " + FILES.get(i)).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void aFolderAndItsZipReadAlike() throws IOException {
        Path folder = folder();
        Path zip = zip();
        Files.writeString(dir.resolve("outside.txt"), "beside the folder, not in it");
        for (Path source : List.of(folder, zip)) {
            try (FileTree t = FileTree.open(source)) {
                assertEquals(source.equals(zip), t.isZip());
                assertEquals(List.of(".hidden", "a/1.txt", "a/x/deep.txt", "b/2.txt", "top.txt"), t.files(), "sorted");
                assertEquals(List.of("a", "b", "empty"), t.list("", true));
                assertEquals(List.of(".hidden", "top.txt"), t.list("", false));
                assertEquals(List.of("1.txt"), t.list("a", false));
                assertEquals(List.of(), t.list("empty", false));
                assertEquals("text of a/x/deep.txt", new String(t.read("a/x/deep.txt"), StandardCharsets.UTF_8));
                assertTrue(t.isFile("a/1.txt"));
                assertFalse(t.isFile("a"));
                assertTrue(t.isDirectory("a/x"));
                assertFalse(t.isFile("a/nothing.txt"));
                assertFalse(t.isFile("../outside.txt"), "no way out of the root");
                assertThrows(NoSuchFileException.class, () -> t.read("../outside.txt"));
                assertFalse(t.isFile("a/\0.txt"), "no path");
                NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> t.read("a/nothing.txt"));
                assertTrue(e.getMessage().contains(t.display("a/nothing.txt")), e.getMessage());
                assertThrows(NoSuchFileException.class, () -> t.list("a/1.txt", false));
            }
        }
        try (FileTree t = FileTree.open(zip)) {
            assertEquals(zip + "!/a/1.txt", t.display("a/1.txt"));
            assertEquals(zip.toString(), t.display(""));
        }
        try (FileTree t = FileTree.open(folder)) {
            assertEquals(folder.resolve("a/1.txt").toString(), t.display("a/1.txt"));
            assertEquals(folder + "/a/\0", t.display("a/\0"), "total, even for no path");
        }
    }

    @Test
    void openNamesWhatIsMissingOrNoZip() throws IOException {
        Path nowhere = dir.resolve("nope.zip");
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> FileTree.open(nowhere));
        assertTrue(missing.getMessage().contains(nowhere + ": no such zip or folder"), missing.getMessage());
        for (String name : List.of("notes.zip", "notes.txt")) {
            Path text = Files.writeString(dir.resolve(name), "not a zip");
            IOException e = assertThrows(IOException.class, () -> FileTree.open(text));
            assertTrue(e.getMessage().startsWith(text + " is neither a folder nor a readable zip"), e.getMessage());
        }
    }

    @Test
    void readBytesFindsAnEntryThroughTheZipsName() throws IOException {
        Path zip = zip();
        assertEquals("text of a/x/deep.txt", new String(FileTree.readBytes(zip + "/a/x/deep.txt"), StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(zip), FileTree.readBytes(zip.toString()), "the zip itself is a file");
    }

    @Test
    void readBytesNamesTheZipAndTheMissingEntry() throws IOException {
        Path zip = zip();
        for (String entry : List.of("a/nothing.txt", "a", "a/1.txt/more")) {
            FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FileTree.readBytes(zip + "/" + entry));
            assertEquals(zip + "/" + entry + ": the zip " + zip + " has no file entry '" + entry + "'", e.getMessage());
        }
    }

    @Test
    void aRealFileWinsOverAZipReading() throws IOException {
        Path unpacked = folder();
        Path named = dir.resolve("tree.zip");
        Files.move(unpacked, named); // a folder called tree.zip: its files are read as files
        assertEquals("text of a/1.txt", new String(FileTree.readBytes(named + "/a/1.txt"), StandardCharsets.UTF_8));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FileTree.readBytes(named + "/a/no.txt"));
        assertEquals(named + "/a/no.txt: no such file", e.getMessage());
    }

    @Test
    void aPrefixThatIsAFileButNoZipIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FileTree.readBytes(text + "/s1/1.png"));
        assertEquals(text + "/s1/1.png: no such file (" + text + " is a file, and only a .zip is read as a folder)",
                e.getMessage());
        Path fake = Files.writeString(dir.resolve("fake.zip"), "not a zip");
        IOException notZip = assertThrows(IOException.class, () -> FileTree.readBytes(fake + "/s1/1.png"));
        assertTrue(notZip.getMessage().startsWith(fake + " is neither a folder nor a readable zip"), notZip.getMessage());
        FileNotFoundException none = assertThrows(FileNotFoundException.class,
                () -> FileTree.readBytes(dir.resolve("nowhere/1.png").toString()));
        assertEquals(dir.resolve("nowhere/1.png") + ": no such file", none.getMessage());
    }
}
