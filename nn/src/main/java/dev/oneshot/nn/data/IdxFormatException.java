package dev.oneshot.nn.data;

import java.io.IOException;

/**
 * A file that is not a well-formed IDX file, or IDX data that does not fit what the caller
 * asked for. The message names the file, the field and the expected and actual values, e.g.
 * {@code train-images-idx3-ubyte.gz: header says 60000 × 28 × 28 = 47040000 bytes of u8 data,
 * file holds 1000}.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
