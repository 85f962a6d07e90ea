package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Omniglot (Lake, Salakhutdinov and Tenenbaum, Science 2015) in its published layout
 * {@code images_background[_small1]/<Alphabet>/characterNN/<id>_<drawer>.png}: 105×105 1-bit
 * PNGs, black strokes on white, 20 drawers per character.
 *
 * <p>Read by {@link #load} straight from the distributed zips (nothing is extracted), from
 * unpacked folders, or from both, all through {@link FileTree}. A class is a character, keyed by
 * {@code "Alphabet/characterNN"}: the same folder name under two alphabets is two classes, and
 * the same key in two sources (Greek and Latin are in both {@code small1} and {@code small2})
 * is one class. Within several sources, a file with the same {@code Alphabet/characterNN/name}
 * is kept once (the first source wins). Classes are ordered by key, images by file name.
 *
 * <p>Metadata per example: {@link #ALPHABET}, {@link #CHARACTER} ({@code characterNN}),
 * {@link #DRAWER} (the {@code NN} after the underscore, 01–20) and {@link #FILE}
 * (relative path). {@link Splits#byGroup} with {@link #ALPHABET} gives alphabet-disjoint splits.
 *
 * <p>{@link #DEFAULT_OPTIONS}: native 105×105, <b>inverted</b> so strokes are 1 on a
 * background of 0 (zero background matches zero padding and the augmentation's fill). For
 * speed, {@code ImageOptions.square(35).inverted(true)} averages exact 3×3 blocks (9× fewer
 * pixels); {@code square(28)} gives MNIST size (area averaging over 3.75-pixel cells).
 */
public final class Omniglot {
    /** Metadata key: alphabet folder name, e.g. {@code "Greek"}. */
    public static final String ALPHABET = "alphabet";
    /** Metadata key: character folder name, e.g. {@code "character03"}. */
    public static final String CHARACTER = "character";
    /** Metadata key: drawer number as in the file name, e.g. {@code "07"}. */
    public static final String DRAWER = "drawer";
    /** Metadata key: {@code Alphabet/characterNN/file.png}. */
    public static final String FILE = "file";

    /** Native 105×105, inverted (strokes 1, background 0). */
    public static final ImageOptions DEFAULT_OPTIONS = ImageOptions.nativeSize().inverted(true);

    private Omniglot() {
    }

    /**
     * The union of {@code sources}, any mix of the published zips and unpacked folders (each
     * holding alphabet folders at any depth, e.g. {@code images_background_small1/Greek/...}),
     * read through {@link FileTree}; classes keyed by alphabet + character, a file already read from
     * an earlier source skipped. {@link #DEFAULT_OPTIONS} when {@code options} is {@code null}.
     *
     * @throws IOException naming the source (and entry) that cannot be read, or all sources when
     *                     none holds an Omniglot image
     */
    public static InMemoryImages load(List<Path> sources, ImageOptions options) throws IOException {
        TreeMap<String, Source> files = new TreeMap<>();
        for (Path source : sources) {
            try (FileTree tree = FileTree.open(source)) {
                for (String rel : tree.files()) {
                    String key = key(rel);
                    if (key != null && !files.containsKey(key)) {
                        files.put(key, new Source(tree.display(rel), tree.read(rel)));
                    }
                }
            }
        }
        return build(files, sources.toString(), options == null ? DEFAULT_OPTIONS : options);
    }

    /** Every character image in one zip or folder, {@link #DEFAULT_OPTIONS}. */
    public static InMemoryImages fromZip(Path zip) throws IOException {
        return load(List.of(zip), DEFAULT_OPTIONS);
    }

    /** Every character image in one zip or folder. */
    public static InMemoryImages fromZip(Path zip, ImageOptions options) throws IOException {
        return load(List.of(zip), options);
    }

    /** {@link #load}: kept for callers that name zips. */
    public static InMemoryImages fromZips(List<Path> zips, ImageOptions options) throws IOException {
        return load(zips, options);
    }

    /** {@link #load}: kept for callers that name folders. */
    public static InMemoryImages fromFolder(List<Path> dirs, ImageOptions options) throws IOException {
        return load(dirs, options);
    }

    private record Source(String name, byte[] bytes) {
    }

    /**
     * {@code "Alphabet/characterNN/id_drawer.png"} from the last three parts of a relative path, or
     * null if it is not a PNG, a hidden file, or fewer than three parts deep.
     */
    static String key(String entry) {
        if (!entry.toLowerCase().endsWith(".png")) {
            return null;
        }
        String[] parts = entry.split("/");
        if (parts.length < 3 || parts[parts.length - 1].startsWith(".")) {
            return null;
        }
        int n = parts.length;
        return parts[n - 3] + "/" + parts[n - 2] + "/" + parts[n - 1];
    }

    private static InMemoryImages build(TreeMap<String, Source> files, String where, ImageOptions options)
            throws IOException {
        if (files.isEmpty()) {
            throw new IOException("no Omniglot images (<Alphabet>/characterNN/<id>_<drawer>.png) in " + where);
        }
        TreeSet<String> classKeys = new TreeSet<>();
        for (String k : files.keySet()) {
            classKeys.add(k.substring(0, k.lastIndexOf('/')));
        }
        List<String> names = new ArrayList<>(classKeys);
        Map<String, Integer> labelOf = new TreeMap<>();
        for (int c = 0; c < names.size(); c++) {
            labelOf.put(names.get(c), c);
        }
        List<ImageAssembler.Item> items = new ArrayList<>(files.size());
        for (var e : files.entrySet()) {
            String[] p = e.getKey().split("/");
            String stem = p[2].substring(0, p[2].length() - ".png".length());
            int us = stem.lastIndexOf('_');
            String drawer = us >= 0 ? stem.substring(us + 1) : "";
            Map<String, String> meta = Map.of(ALPHABET, p[0], CHARACTER, p[1], DRAWER, drawer, FILE, e.getKey());
            items.add(new ImageAssembler.Item(e.getValue().name(), e.getValue().bytes(),
                    labelOf.get(p[0] + "/" + p[1]), meta));
        }
        return ImageAssembler.assemble(items, names, options);
    }
}
