package dev.oneshot.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file. The message always starts with the file's path
 * and then names the problem, with the expected and the actual value where there are two.
 */
public final class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
