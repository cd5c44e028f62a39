package dev.medic.logs;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactorTest {
    private final Redactor r = Redactor.fromEnvironments(Map.of("WANDB_API_KEY", "0123456789abcdef", "HOME", "/root",
            "MY_PASSWORD", "pw", "PATH", "/usr/bin"));

    @Test
    void secretNamedEnvironmentValuesAreMasked() {
        assertEquals("key=*** in /root", r.redact("key=0123456789abcdef in /root"));
        assertEquals("pw stays: too short to be told from a word", "pw stays: too short to be told from a word");
    }

    @Test
    void secretLookingValuesAreMaskedWhereverTheyComeFrom() {
        assertEquals("bot ***/sendMessage", r.redact("bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1/sendMessage"));
        assertEquals("token ***", r.redact("token hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"));
        assertEquals("aws ***", r.redact("aws AKIAIOSFODNN7EXAMPLE"));
        assertEquals("Authorization: Bearer ***", r.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def"));
        assertEquals("url?password=***&user=bob", r.redact("url?password=hunter2x&user=bob"));
        assertEquals("--token=*** --lr 3e-4", r.redact("--token=abcdef123456 --lr 3e-4"));
        assertEquals("api_key: ***", r.redact("api_key: 'supersecretvalue'").replace("'", ""));
    }

    @Test
    void aMaskBesideTheTextDoesNotSpellTheSecretAgain() {
        Redactor star = Redactor.fromEnvironments(Map.of("DB_PASSWORD", "Passw0rd*"));
        assertEquals("*****", star.redact("Passw0rdPassw0rd*"));
    }

    @Test
    void ordinaryTrainingTextIsLeftAlone() {
        String line = "step 100 loss 0.4123 lr 3e-4 tokens/s 51234 grad_norm 1.2 token_type_ids missing";
        assertEquals(line, r.redact(line));
    }
}
