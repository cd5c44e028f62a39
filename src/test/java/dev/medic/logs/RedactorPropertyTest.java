package dev.medic.logs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import dev.medic.facts.Evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Whatever the text around it, a secret from the environment does not come out of the redactor. */
class RedactorPropertyTest {
    /** A secret as users have them: letters, digits, punctuation ('*' included), spaces, non-ASCII, sometimes two lines. */
    @Provide
    Arbitrary<String> secret() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange('a', 'f').withCharRange('0', '3')
                .withChars("*-_=:/+ .'\"é").ofMinLength(4).ofMaxLength(14);
        return Arbitraries.oneOf(line, Combinators.combine(line, line, Arbitraries.of("\n", "\r\n")).as((a, b, nl) -> a + nl + b));
    }

    /** Text around the secret: noise, the secret, pieces of it, secret-looking words. */
    @Provide
    Arbitrary<List<String>> around() {
        Arbitrary<String> noise = Arbitraries.strings().withCharRange('a', 'f').withChars("*= :\n'").ofMaxLength(8);
        Arbitrary<String> words = Arbitraries.of("password=", "token: ", "Bearer ", "api_key=\"", "hf_", "***", "*", "");
        return Arbitraries.oneOf(noise, words, Arbitraries.of("<secret>", "<head>", "<tail>")).list().ofMaxSize(10);
    }

    @Property(tries = 1000)
    void aSecretNeverComesOut(@ForAll("secret") String secret, @ForAll("around") List<String> parts,
                              @ForAll("envName") String name) {
        StringBuilder text = new StringBuilder();
        for (String p : parts) {
            text.append(switch (p) {
                case "<secret>" -> secret;
                case "<head>" -> secret.substring(0, secret.length() / 2);
                case "<tail>" -> secret.substring(secret.length() / 2);
                default -> p;
            });
        }
        Redactor r = Redactor.fromEnvironments(Map.of(name, secret, "HOME", "/root"));
        String out = r.redact(text.toString());
        for (String s : withLines(secret)) {
            assertFalse(out.contains(s), () -> "'" + s + "' (of " + name + ") comes out of '" + text + "' as '" + out + "'");
        }
    }

    @Provide
    Arbitrary<String> envName() {
        return Arbitraries.of("WANDB_API_KEY", "HF_TOKEN", "DB_PASSWORD", "my_secret", "AWS_SECRET_ACCESS_KEY", "PASSWD");
    }

    /** The secret and, for a multi-line one, each of its lines long enough to be told from a word. */
    private static List<String> withLines(String secret) {
        List<String> all = new ArrayList<>(List.of(secret));
        for (String line : secret.replace("\r", "").split("\n")) {
            if (line.length() >= 4) {
                all.add(line);
            }
        }
        return all;
    }

    /** A one-line secret with none of the noise's letters and no '*' (the mask's own character). */
    @Provide
    Arbitrary<String> lineSecret() {
        return Arbitraries.strings().withCharRange('a', 'f').withCharRange('0', '3').withChars("-_=:/+ .'\"é")
                .ofMinLength(4).ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withCharRange('g', 'z').withChars("!#").ofMaxLength(40);
    }

    /**
     * A line cut into two pieces inside the secret: the first piece (the line goes on) and the second
     * (redacted with the end of the first before it) show no character of the secret.
     */
    @Property(tries = 1000)
    void aSecretAcrossACutLeavesNoPartOnEitherSide(@ForAll("lineSecret") String secret, @ForAll("noise") String head,
                                                  @ForAll("noise") String tail, @ForAll @IntRange(min = 1, max = 29) int at,
                                                  @ForAll("envName") String name) {
        int cut = Math.min(at, secret.length() - 1);
        String first = head + secret.substring(0, cut);
        String second = secret.substring(cut) + tail;
        Redactor r = Redactor.fromEnvironments(Map.of(name, secret));
        String out1 = r.redactEvidence(new Evidence(1, "stderr", first, "", true));
        String out2 = r.redactEvidence(new Evidence(1, "stderr", second, first, false));
        for (char c : secret.toCharArray()) {
            assertFalse(out1.indexOf(c) >= 0 || out2.indexOf(c) >= 0,
                    () -> "'" + c + "' of '" + secret + "' comes out of '" + first + "' | '" + second + "' as '" + out1 + "' | '" + out2 + "'");
        }
    }
}
