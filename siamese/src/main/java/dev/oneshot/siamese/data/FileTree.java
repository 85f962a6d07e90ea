package dev.oneshot.siamese.data;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder or a {@code .zip} read through one API, so every reader of "a zip or a folder" has one
 * code path: the zip is opened with the JDK's zip file system ({@code jdk.zipfs}; nothing is
 * extracted) and both are walked as a tree of {@code '/'}-separated paths relative to the root.
 *
 * <pre>{@code
 * try (FileTree tree = FileTree.open(Path.of("faces.zip"))) {    // or a folder
 *     for (String rel : tree.files()) {                           // "orl_faces_png/s1/1.png", ...
 *         byte[] png = tree.read(rel);                             // errors name tree.display(rel)
 *     }
 * }
 * }</pre>
 *
 * <p><b>Errors.</b> Every failure is an {@link IOException} whose message names the zip or folder
 * and, where there is one, the entry ({@link #display}: {@code faces.zip!/orl_faces_png/s1/1.png},
 * or the file's path in a folder). The zip file system signals a corrupt archive partly with
 * unchecked exceptions (a bad entry name, a bad offset); they are caught here and rethrown as
 * {@code IOException}s naming the zip. Before it is opened, {@link ZipLimits} refuses a zip whose
 * ZIP64 entry count cannot fit the file or with an entry name over 4096 bytes, both of which
 * cost the zip file system far more than the file's size. A zip is only read, never written:
 * {@link #close} has no update to write back.
 *
 * <p><b>Order.</b> {@link #files} and {@link #list} are sorted by {@link String#compareTo}, the same
 * for a folder and for a zip of it, whatever the order of the zip's entries or of the directory.
 *
 * <p>{@link #readBytes(String)} reads a file named as a path that may run through a zip,
 * {@code faces.zip/orl_faces_png/s31/1.png}, for command lines.
 */
public final class FileTree implements Closeable {
    /**
     * Options of the zip file system: {@code zipinfo-time=false} keeps it from reading every
     * entry's local header for time stamps (this class never asks for them).
     */
    private static final Map<String, String> ZIP_OPTIONS = Map.of("zipinfo-time", "false");

    private static final String NO_PATH = "no file: a NUL, a '..' leading out, or an absolute path is no path inside ";

    private final Path source;
    private final FileSystem zip;
    private final Path root;

    private FileTree(Path source, FileSystem zip, Path root) {
        this.source = source;
        this.zip = zip;
        this.root = root;
    }

    /**
     * Opens a folder (read in place) or a zip file (through the zip file system).
     *
     * @throws NoSuchFileException when nothing is at {@code zipOrFolder}
     * @throws IOException         naming it when it is a file but no readable zip
     */
    public static FileTree open(Path zipOrFolder) throws IOException {
        if (Files.isDirectory(zipOrFolder)) {
            return new FileTree(zipOrFolder, null, zipOrFolder);
        }
        if (!Files.exists(zipOrFolder)) {
            throw new NoSuchFileException(zipOrFolder.toString(), null, "no such zip or folder");
        }
        if (!Files.isRegularFile(zipOrFolder)) {
            throw new IOException(zipOrFolder + " is neither a folder nor a zip file");
        }
        FileSystem fs;
        try {
            ZipLimits.check(zipOrFolder);
            fs = FileSystems.newFileSystem(zipOrFolder, ZIP_OPTIONS);
        } catch (IOException | RuntimeException e) {
            // ZipException for a damaged archive, ProviderNotFoundException when a file not named
            // .zip is no zip at all, IndexOutOfBounds... for some malformed central directories
            throw new IOException(zipOrFolder + " is neither a folder nor a readable zip: " + describe(e), e);
        }
        return new FileTree(zipOrFolder, fs, fs.getPath("/"));
    }

    /** What was opened, as given. */
    public Path source() {
        return source;
    }

    /** Whether {@link #source} is a zip (rather than a folder). */
    public boolean isZip() {
        return zip != null;
    }

    /**
     * Where {@code rel} is, for messages: {@code zip!/rel} inside a zip, the file's path in a folder;
     * the source itself for {@code ""}. Total: {@code rel} need not be a valid path.
     */
    public String display(String rel) {
        if (rel.isEmpty()) {
            return source.toString();
        }
        if (zip != null) {
            return source + "!/" + rel;
        }
        try {
            return source.resolve(rel).toString();
        } catch (InvalidPathException notAPath) { // e.g. a NUL read from a text file
            return source + source.getFileSystem().getSeparator() + rel;
        }
    }

    /**
     * Every regular file (symbolic links followed) at any depth, as a path relative to the root,
     * {@code '/'}-separated, sorted.
     */
    public List<String> files() throws IOException {
        List<String> out = new ArrayList<>();
        // a zip has no links; following them there would only cost: with no file keys, the walk's loop
        // check compares every ancestor path (JDK 17), cubic in the depth
        FileVisitOption[] follow = zip == null ? new FileVisitOption[] {FileVisitOption.FOLLOW_LINKS}
                : new FileVisitOption[0];
        try (Stream<Path> s = Files.find(root, Integer.MAX_VALUE, (p, a) -> a.isRegularFile(), follow)) {
            s.forEach(p -> out.add(relative(p)));
        } catch (UncheckedIOException e) {
            throw failure("", e.getCause());
        } catch (IOException | RuntimeException e) {
            throw failure("", e);
        }
        Collections.sort(out);
        return out;
    }

    /**
     * The names (not paths) of the sub-folders ({@code folders}) or of the regular files directly
     * in folder {@code rel} ({@code ""}: the root), symbolic links followed, sorted.
     *
     * @throws NoSuchFileException naming {@link #display}{@code (rel)} when it is no folder
     */
    public List<String> list(String rel, boolean folders) throws IOException {
        if (!isDirectory(rel)) {
            throw new NoSuchFileException(display(rel), null, "no such folder");
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(resolve(rel))) {
            for (Path p : s) {
                if (folders ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw failure(rel, e);
        }
        Collections.sort(out);
        return out;
    }

    /** Whether {@code rel} is a regular file; false for a path that cannot exist (a NUL, {@code ..}). */
    public boolean isFile(String rel) throws IOException {
        Path p = resolveOrNull(rel);
        try {
            return p != null && Files.isRegularFile(p);
        } catch (RuntimeException e) {
            throw failure(rel, e);
        }
    }

    /** Whether {@code rel} is a folder ({@code ""}: the root); false for a path that cannot exist. */
    public boolean isDirectory(String rel) throws IOException {
        Path p = resolveOrNull(rel);
        try {
            return p != null && Files.isDirectory(p);
        } catch (RuntimeException e) {
            throw failure(rel, e);
        }
    }

    /**
     * The bytes of file {@code rel}. Inside a zip they are inflated as they come, so what is
     * allocated follows the entry's real length, not the size its header claims.
     *
     * @throws IOException naming {@link #display}{@code (rel)}: missing, a folder, or a corrupt entry
     */
    public byte[] read(String rel) throws IOException {
        Path p = resolveOrNull(rel);
        if (p == null) {
            throw new NoSuchFileException(display(rel), null, NO_PATH + source);
        }
        try {
            if (zip == null) {
                return Files.readAllBytes(p);
            }
            try (InputStream in = Files.newInputStream(p)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(display(rel), null, "no such file");
        } catch (IOException | RuntimeException e) { // a bad deflate stream, a cut entry, ...
            throw new IOException(display(rel) + " cannot be read: " + describe(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }

    /**
     * The bytes of the file at {@code path}, or, when no file has that name and a leading part of
     * it is a {@code .zip} file, of the entry the rest names: {@code faces.zip/orl_faces_png/s31/1.png}
     * reads entry {@code orl_faces_png/s31/1.png} of {@code faces.zip}. A real file of that name wins.
     *
     * @throws FileNotFoundException naming {@code path} (and the zip) when there is no such file or entry
     * @throws IOException           naming the zip when it cannot be read
     */
    public static byte[] readBytes(String path) throws IOException {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new FileNotFoundException(path + ": not a valid path (" + e.getReason() + ")");
        }
        if (Files.isRegularFile(p)) {
            return Files.readAllBytes(p);
        }
        for (Path zip = p.getParent(); zip != null; zip = zip.getParent()) {
            if (Files.isRegularFile(zip)) {
                if (!zip.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    throw new FileNotFoundException(path + ": no such file (" + zip
                            + " is a file, and only a .zip is read as a folder)");
                }
                String entry = separated(zip.relativize(p));
                try (FileTree tree = open(zip)) {
                    if (!tree.isFile(entry)) {
                        throw new FileNotFoundException(path + ": the zip " + zip + " has no file entry '" + entry
                                + "'");
                    }
                    return tree.read(entry);
                }
            }
        }
        throw new FileNotFoundException(path + ": no such file");
    }

    /** {@code root.resolve(rel)}, or null when {@code rel} is no path or leads out of the root. */
    private Path resolveOrNull(String rel) {
        if (rel.isEmpty()) {
            return root;
        }
        try {
            Path p = root.resolve(rel);
            return !p.isAbsolute() == !root.isAbsolute() && p.normalize().startsWith(root.normalize()) ? p : null;
        } catch (InvalidPathException notAPath) {
            return null;
        }
    }

    private Path resolve(String rel) throws NoSuchFileException {
        Path p = resolveOrNull(rel);
        if (p == null) {
            throw new NoSuchFileException(display(rel), null, NO_PATH + source);
        }
        return p;
    }

    private String relative(Path p) {
        return separated(root.relativize(p));
    }

    private static String separated(Path rel) {
        String sep = rel.getFileSystem().getSeparator();
        String s = rel.toString();
        return sep.equals("/") ? s : s.replace(sep, "/");
    }

    private IOException failure(String rel, Throwable e) {
        if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains(source.toString())) {
            return io;
        }
        return new IOException(display(rel) + (zip == null ? " cannot be read: " : " (zip) cannot be read: ")
                + describe(e), e);
    }

    /** The message of {@code e}, or its class name when it has none (an EOFException). */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
