package dev.medic.catalog;

import java.util.List;
import java.util.Set;

/**
 * {@code fixes.resume_from_checkpoint}: where checkpoints go ({@code dirs}, also from --checkpoint-dir) and which
 * argument resumes from one. {@code last_step} is laid over by the supervisor: the last step the failed attempt showed.
 */
public record ResumeFromCheckpointSettings(List<String> dirs, List<String> patterns, List<String> flags, List<String> keys,
                                           String hfFlag, List<String> hfMarkers, String lightningFlag,
                                           List<String> lightningSubcommands, String defaultFlag, String lastStep) {
    static final Set<String> KEYS = Set.of("dirs", "patterns", "flags", "keys", "hf_flag", "hf_markers", "lightning_flag",
            "lightning_subcommands", "default_flag", "last_step");

    public static ResumeFromCheckpointSettings of(Settings s) {
        return new ResumeFromCheckpointSettings(s.strings("dirs"), s.strings("patterns"), s.strings("flags"), s.strings("keys"),
                s.string("hf_flag", "--resume_from_checkpoint"), s.strings("hf_markers"), s.string("lightning_flag", "--ckpt_path"),
                s.strings("lightning_subcommands"), s.string("default_flag", ""), s.string("last_step", ""));
    }
}
