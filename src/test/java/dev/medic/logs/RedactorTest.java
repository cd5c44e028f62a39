package dev.medic.logs;

import dev.medic.facts.Evidence;
import org.junit.jupiter.api.Test;

import java.util.List;
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

    @Test
    void theValueAfterASecretNamedFlagIsMaskedInTextAndInArgv() {
        assertEquals("train.py --password *** --api-key *** --hub-token=*** --lr 3e-4",
                r.redact("train.py --password hunter2 --api-key abc --hub-token=xyz --lr 3e-4"));
        assertEquals(List.of("--password", "***", "--secret", "***", "--token", "--lr", "3e-4", "--db.password=***"),
                r.redactArgv(List.of("--password", "pw", "--secret", "two words", "--token", "--lr", "3e-4", "--db.password=x")));
        assertEquals("db_password=*** wandb.api_key: *** {\"token\": \"***\"}",
                r.redact("db_password=x1 wandb.api_key: k2 {\"token\": \"t 3\"}"));
    }

    @Test
    void flagsThatOnlyMentionTokensOrKeysKeepTheirValues() {
        List<String> argv = List.of("--max-tokens", "512", "--pad-token", "<pad>", "--eos_token=</s>", "--sort-key", "loss",
                "--tokenizer", "gpt2", "--max-new-tokens=64", "--password-file", "/run/secrets/db");
        assertEquals(argv, r.redactArgv(argv));
        assertEquals(String.join(" ", argv), r.redact(String.join(" ", argv)));
    }

    @Test
    void aUrlLosesItsPasswordAnywhere() {
        assertEquals("connecting to postgres://app:***@db:5432/prod and redis://:***@cache/0, not http://host:8080/x",
                r.redact("connecting to postgres://app:s3cr3t@db:5432/prod and redis://:pw@cache/0, not http://host:8080/x"));
    }

    @Test
    void environmentSecretsIncludeShortNamesAndUrlPasswords() {
        Redactor env = Redactor.fromEnvironments(Map.of("DB_PASS", "dbpass01", "MYSQL_PWD", "mysql001", "PWD", "/work/project",
                "OLDPWD", "/work/old", "DATABASE_URL", "postgres://app:urlpass1@db/prod", "SENTRY_DSN", "https://abcd1234@o1.ingest/1"));
        assertEquals("*** *** *** *** /work/project /work/old", env.redact("dbpass01 mysql001 urlpass1 https://abcd1234@o1.ingest/1 /work/project /work/old"));
    }

    @Test
    void aSecretAcrossACutIsMaskedOnBothSides() {
        Redactor env = Redactor.fromEnvironments(Map.of("HF_TOKEN", "straddlingsecret"));
        assertEquals("CUDA out of memory ***", env.redactEvidence(new Evidence(1, "stderr", "CUDA out of memory straddl", "", true)));
        assertEquals("*** tail", env.redactEvidence(new Evidence(1, "stderr", "ingsecret tail", "CUDA out of memory straddl", false)));
        // the key ends one piece, the value starts the next
        assertEquals("*** OSError", r.redactEvidence(new Evidence(2, "stderr", "hunter2 OSError", "yyyy password=", false)));
        assertEquals(" *** OSError", r.redactEvidence(new Evidence(2, "stderr", " hunter2 OSError", "yyyy --password", false)));
        // a token the cut splits is a fragment: a URL's password or a key that the next piece completes
        assertEquals("OOM at ***", r.redactEvidence(new Evidence(3, "stderr", "OOM at postgres://u:pa", "", true)));
        assertEquals("OOM at ***", r.redactEvidence(new Evidence(3, "stderr", "OOM at hf_AbCd", "", true)));
        assertEquals("a whole line stays", r.redactEvidence(new Evidence(4, "stderr", "a whole line stays")));
    }

    @Test
    void secretNames() {
        for (String name : List.of("HF_TOKEN", "DB_PASS", "MYSQL_PWD", "PGPASSWORD", "SMTP_PASSWD", "GOOGLE_CREDENTIALS", "NPM_AUTH",
                "SENTRY_DSN", "AWS_SECRET_ACCESS_KEY", "SSH_PASSPHRASE")) {
            assertEquals(true, SecretNames.environment(name), name);
        }
        for (String name : List.of("PWD", "OLDPWD", "HOME", "PATH", "DATABASE_URL", "SSH_AUTH_SOCK", "PGPASSFILE", "SSL_KEY_FILE",
                "AWS_SHARED_CREDENTIALS_FILE", "CACHE_BYPASS", "SSH_ASKPASS")) {
            assertEquals(false, SecretNames.environment(name), name);
        }
        for (String name : List.of("password", "db-password", "dbPassword", "api_key", "apikey", "hub-token", "token", "access_token",
                "client-secret", "pass", "secret_key", "wandb.api_key", "auth")) {
            assertEquals(true, SecretNames.argument(name), name);
        }
        for (String name : List.of("max-tokens", "pad-token", "eos_token", "tokenizer", "sort-key", "key", "password-file",
                "num_token", "lr", "batch-size", "keys")) {
            assertEquals(false, SecretNames.argument(name), name);
        }
    }
}
