package dev.medic.facts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one attempt runs: an argv list (never a shell string), the whole environment the child
 * gets, and its working directory. Immutable: a fix returns a new spec.
 */
public final class RunSpec {
    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<String> argv;
    private final Map<String, String> env;
    private final Path workdir;
    private final Map<String, String> backendSettings;

    public RunSpec(List<String> argv, Map<String, String> env, Path workdir) {
        this(argv, env, workdir, Map.of());
    }

    /** @param backendSettings what a fix may change about where the attempt runs (a container's shm_size) */
    public RunSpec(List<String> argv, Map<String, String> env, Path workdir, Map<String, String> backendSettings) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("a run needs a command");
        }
        this.argv = List.copyOf(argv);
        this.env = Collections.unmodifiableMap(new TreeMap<>(env));
        this.workdir = Objects.requireNonNull(workdir);
        this.backendSettings = Collections.unmodifiableMap(new TreeMap<>(backendSettings));
    }

    public List<String> getArgv() {
        return argv;
    }

    public Map<String, String> getEnv() {
        return env;
    }

    public Path getWorkdir() {
        return workdir;
    }

    public Map<String, String> getBackendSettings() {
        return backendSettings;
    }

    public RunSpec withBackendSetting(String name, String value) {
        Map<String, String> b = new TreeMap<>(backendSettings);
        b.put(name, value);
        return new RunSpec(argv, env, workdir, b);
    }

    /** True for a name medic will set in a child's environment. */
    public static boolean isEnvName(String name) {
        return ENV_NAME.matcher(name).matches();
    }

    /** The argument at {@code i}, or null past the end; convenient in DRL. */
    public String arg(int i) {
        return i < argv.size() ? argv.get(i) : null;
    }

    public RunSpec withArgv(List<String> newArgv) {
        return new RunSpec(newArgv, env, workdir, backendSettings);
    }

    public RunSpec withEnv(Map<String, String> newEnv) {
        return new RunSpec(argv, newEnv, workdir, backendSettings);
    }

    public RunSpec withEnvVar(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        if (value == null) {
            e.remove(name);
        } else {
            e.put(name, value);
        }
        return new RunSpec(argv, e, workdir, backendSettings);
    }

    /** Names whose values differ from {@code base} (added, changed or removed), sorted. */
    public List<String> envChangedFrom(Map<String, String> base) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!Objects.equals(base.get(e.getKey()), e.getValue())) {
                names.add(e.getKey());
            }
        }
        for (String k : base.keySet()) {
            if (!env.containsKey(k)) {
                names.add(k);
            }
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSpec r && argv.equals(r.argv) && env.equals(r.env) && workdir.equals(r.workdir)
                && backendSettings.equals(r.backendSettings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, env, workdir, backendSettings);
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
