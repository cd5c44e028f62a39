package dev.medic.doctor;

/** The outcome of one check of {@code medic doctor}: one line, {@code ok|warn|FAIL|skip  check: detail}. */
public record Finding(Status status, String check, String detail) {
    public enum Status {
        OK("ok"), WARN("warn"), FAIL("FAIL"), SKIP("skip");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public Finding {
        // one check, one line, whatever the message it quotes
        detail = detail.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    public static Finding ok(String check, String detail) {
        return new Finding(Status.OK, check, detail);
    }

    public static Finding warn(String check, String detail) {
        return new Finding(Status.WARN, check, detail);
    }

    public static Finding fail(String check, String detail) {
        return new Finding(Status.FAIL, check, detail);
    }

    public static Finding skip(String check, String detail) {
        return new Finding(Status.SKIP, check, detail);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    public String line() {
        return String.format("%-4s  %s: %s", status.word(), check, detail);
    }
}
