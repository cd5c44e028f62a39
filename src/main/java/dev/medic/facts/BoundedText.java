package dev.medic.facts;

/**
 * A line as a regex sees it, with a budget of character reads. java.util.regex backtracks, so a
 * catalog pattern such as {@code (a+)+$} can take years on one long line; counting reads bounds
 * every match to a time proportional to the line, and one bad pattern cannot stall the supervisor.
 */
final class BoundedText implements CharSequence {
    /** Thrown when a match has read the line more often than its budget allows. */
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final int offset;
    private final int length;
    private final long[] left;

    private BoundedText(String text, int offset, int length, long[] left) {
        this.text = text;
        this.offset = offset;
        this.length = length;
        this.left = left;
    }

    /** Room for well-behaved patterns to scan the line a few hundred times over, and no more. */
    static BoundedText of(String text) {
        return new BoundedText(text, 0, text.length(), new long[] {1_000_000L + 256L * text.length()});
    }

    @Override
    public char charAt(int index) {
        if (--left[0] < 0) {
            throw new Exhausted();
        }
        return text.charAt(offset + index);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text, offset + start, end - start, left);
    }

    @Override
    public String toString() {
        return text.substring(offset, offset + length);
    }
}
