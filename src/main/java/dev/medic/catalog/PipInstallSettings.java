package dev.medic.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fixes.pip_install}: which missing modules may be installed, and how. {@code command}, {@code policy},
 * {@code in_container}, {@code index_reachable} and {@code target} usually come from the command line.
 */
public record PipInstallSettings(String policy, List<String> installArgs, Duration timeout, Map<String, String> packages,
                                 List<String> allow, List<String> deny, List<String> command, boolean inContainer,
                                 boolean indexReachable, String target) {
    static final Set<String> KEYS = Set.of("policy", "install_args", "timeout", "packages", "allow", "deny", "command",
            "in_container", "index_reachable", "target");

    public static PipInstallSettings of(Settings s) {
        String policy = s.string("policy", "known");
        if (!policy.equals("known") && !policy.equals("any")) {
            throw s.fail("policy", "must be known or any");
        }
        return new PipInstallSettings(policy, s.strings("install_args"), RetryBackoffSettings.duration(s, "timeout", "10m"),
                s.map("packages"), s.strings("allow"), s.strings("deny"), s.strings("command"), s.bool("in_container", false),
                s.bool("index_reachable", false), s.string("target", ""));
    }
}
