package dev.oneshot.siamese.data;

import java.io.IOException;

/**
 * A Netpbm (PGM/PPM) file that {@link Netpbm} refuses: the message names the file, the field
 * (magic, width, height, maxval, a sample, the data length) and what was expected against what
 * was found.
 */
public final class NetpbmFormatException extends IOException {
    private final String file;
    private final String field;

    public NetpbmFormatException(String file, String field, String expected, String actual) {
        super("bad Netpbm image " + file + ": " + field + ": expected " + expected + ", got " + actual);
        this.file = file;
        this.field = field;
    }

    /** The file (or zip entry) name given to the decoder. */
    public String file() {
        return file;
    }

    /** The offending field, e.g. {@code "maxval"} or {@code "data"}. */
    public String field() {
        return field;
    }
}
