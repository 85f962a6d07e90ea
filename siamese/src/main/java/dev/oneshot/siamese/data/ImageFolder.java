package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data set laid out as one sub-folder per class: {@code root/<class>/<image>}, in a folder or a
 * zip (read through {@link FileTree}, nothing extracted).
 *
 * <p>Classes are the sub-folders of {@code root} in name order (label 0 is the first); images
 * are the files directly inside each, in name order, whose extension is one of
 * {@link #EXTENSIONS} (other files and hidden entries are ignored). Every image is decoded
 * with {@code javax.imageio}, or {@link Netpbm} for PGM/PPM, converted to grey (luma, see {@link GrayImages}) and
 * resized/inverted per {@link ImageOptions}. Metadata of each example: {@code file}, its path
 * relative to {@code root}, {@code '/'}-separated.
 */
public final class ImageFolder {
    /** File name extensions loaded (lower case, compared case-insensitively). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "pgm", "ppm", "pnm");

    /** Metadata key: the image's path relative to the root folder. */
    public static final String FILE = "file";

    private ImageFolder() {
    }

    /**
     * Loads every image under {@code zipOrFolder}: a folder of class folders, or a zip of them,
     * read through {@link FileTree}. The class folders may sit under one top folder (the zip of a
     * folder, like {@code orl_faces_png/s1/...}): when the root holds nothing visible but one
     * folder, and that folder holds folders but no image, the classes are read from it. Metadata
     * {@link #FILE} is then relative to {@code zipOrFolder}, top folder included.
     *
     * @throws IOException naming the file that could not be read or decoded, the folder (or zip)
     *                     that holds no class sub-folders, or the class folder that holds no images
     */
    public static InMemoryImages load(Path zipOrFolder, ImageOptions options) throws IOException {
        List<String> names = new ArrayList<>();
        List<ImageAssembler.Item> items = new ArrayList<>();
        try (FileTree tree = FileTree.open(zipOrFolder)) {
            String base = classesFolder(tree);
            List<String> classDirs = visible(tree.list(base, true));
            if (classDirs.isEmpty()) {
                throw new IOException("image folder " + tree.display(base) + " is empty: expected one sub-folder per "
                        + "class, each holding images (" + String.join(", ", EXTENSIONS) + ")");
            }
            for (String dir : classDirs) {
                String classRel = base + dir;
                List<String> files = visible(tree.list(classRel, false)).stream().filter(ImageFolder::isImage).toList();
                if (files.isEmpty()) {
                    throw new IOException("class folder " + tree.display(classRel) + " holds no images ("
                            + String.join(", ", EXTENSIONS) + ")");
                }
                int label = names.size();
                names.add(dir);
                for (String f : files) {
                    String rel = classRel + "/" + f;
                    items.add(new ImageAssembler.Item(tree.display(rel), tree.read(rel), label, Map.of(FILE, rel)));
                }
            }
        }
        return ImageAssembler.assemble(items, names, options);
    }

    /** {@code ""}, or {@code "top/"} when the root holds only folder {@code top} and it holds folders and no image. */
    private static String classesFolder(FileTree tree) throws IOException {
        List<String> dirs = visible(tree.list("", true));
        if (dirs.size() != 1 || !visible(tree.list("", false)).isEmpty()) {
            return "";
        }
        String top = dirs.get(0);
        boolean holdsFolders = !visible(tree.list(top, true)).isEmpty();
        boolean holdsImages = visible(tree.list(top, false)).stream().anyMatch(ImageFolder::isImage);
        return holdsFolders && !holdsImages ? top + "/" : "";
    }

    /** Names that do not start with a dot. */
    private static List<String> visible(List<String> names) {
        return names.stream().filter(n -> !n.startsWith(".")).toList();
    }

    private static boolean isImage(String n) {
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
