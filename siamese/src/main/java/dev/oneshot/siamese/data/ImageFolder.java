package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A data set laid out as one sub-folder per class: {@code root/<class>/<image>}.
 *
 * <p>Classes are the sub-folders of {@code root} in name order (label 0 is the first); images
 * are the files directly inside each, in name order, whose extension is one of
 * {@link #EXTENSIONS} (other files and hidden entries are ignored). Every image is decoded
 * with {@code javax.imageio}, or {@link Netpbm} for PGM/PPM, converted to grey (luma, see {@link GrayImages}) and
 * resized/inverted per {@link ImageOptions}. Metadata of each example: {@code file}, its path
 * relative to {@code root}.
 */
public final class ImageFolder {
    /** File name extensions loaded (lower case, compared case-insensitively). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "pgm", "ppm", "pnm");

    /** Metadata key: the image's path relative to the root folder. */
    public static final String FILE = "file";

    private ImageFolder() {
    }

    /**
     * Loads every image under {@code root}.
     *
     * @throws IOException naming the file that could not be decoded, the folder that holds no
     *                     class sub-folders, or the class folder that holds no images
     */
    public static InMemoryImages load(Path root, ImageOptions options) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "image folder does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        List<Path> classDirs = list(root, true);
        if (classDirs.isEmpty()) {
            throw new IOException("image folder " + root + " is empty: expected one sub-folder per class, "
                    + "each holding images (" + String.join(", ", EXTENSIONS) + ")");
        }
        List<String> names = new ArrayList<>();
        List<ImageAssembler.Item> items = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> files = list(dir, false).stream().filter(ImageFolder::isImage).toList();
            if (files.isEmpty()) {
                throw new IOException("class folder " + dir + " holds no images (" + String.join(", ", EXTENSIONS)
                        + ")");
            }
            int label = names.size();
            names.add(dir.getFileName().toString());
            for (Path f : files) {
                String rel = root.relativize(f).toString();
                items.add(new ImageAssembler.Item(f.toString(), Files.readAllBytes(f), label, Map.of(FILE, rel)));
            }
        }
        return ImageAssembler.assemble(items, names, options);
    }

    private static List<Path> list(Path dir, boolean dirs) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> dirs ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
