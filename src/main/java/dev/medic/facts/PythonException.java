package dev.medic.facts;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python exception as a log shows it: the type on the final line of a traceback block, its
 * message (the rest of that line), the errno in it ({@code [Errno 28]}) and the file paths of the
 * block's frames, outermost first. A bare exception line with no traceback above it has no frames.
 */
public record PythonException(String type, String message, Integer errno, List<String> frames) {
    private static final Pattern ERRNO = Pattern.compile("\\[Errno (\\d{1,4})\\]");

    public PythonException {
        frames = List.copyOf(frames);
    }

    public static PythonException of(String type, String message, List<String> frames) {
        Matcher m = ERRNO.matcher(message);
        return new PythonException(type, message, m.find() ? Integer.valueOf(m.group(1)) : null, frames);
    }

    /** The last part of a dotted type: {@code ResourceExhaustedError} for {@code tensorflow.python...ResourceExhaustedError}. */
    public String simpleType() {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** The frame that raised it (the innermost), or "" when no frame is known. */
    public String innermostFrame() {
        return frames.isEmpty() ? "" : frames.get(frames.size() - 1);
    }
}
