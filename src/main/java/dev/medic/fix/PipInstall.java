package dev.medic.fix;

import dev.medic.catalog.PipInstallSettings;
import dev.medic.facts.Evidence;
import dev.medic.facts.RunSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installs the package behind a {@code No module named X}, with the experiment's own interpreter,
 * before the next attempt. The module name comes from log text, so it is treated as hostile: only
 * a plain identifier is accepted (its top-level part), it is mapped to a distribution through the
 * catalog's {@code packages}, and by default only mapped or allow-listed names are installed (an
 * unknown name may be a typo, or a typo-squatted package). The deny-list always wins. The install
 * is an argv list with a time limit; its failure is journaled and the run escalates.
 */
public final class PipInstall implements FixExecutor {
    /** The name as the error prints it: quoted (anything up to the closing quote) or bare. */
    private static final Pattern NO_MODULE = Pattern.compile("No module named (?:'([^']*)'|\"([^\"]*)\"|(\\S+))");
    private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DISTRIBUTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern PYTHON = Pattern.compile("python(\\d+(\\.\\d+)?)?");

    @Override
    public String id() {
        return "pip_install";
    }

    @Override
    public boolean needsCommand() {
        return false;
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        PipInstallSettings s = PipInstallSettings.of(context.settings());
        String raw = missingModule(context);
        if (raw == null) {
            return FixPlan.cannot("the failure is not a missing module (pip_install only handles 'No module named X')");
        }
        String module = raw.split("\\.", 2)[0];
        if (!DOTTED.matcher(raw).matches() || !IDENTIFIER.matcher(module).matches()) {
            return FixPlan.cannot("module name '" + printable(raw) + "' rejected: not a plain Python identifier");
        }
        Map<String, String> packages = s.packages();
        Set<String> allow = Set.copyOf(s.allow());
        Set<String> deny = Set.copyOf(s.deny());
        String dist = packages.getOrDefault(module, module);
        if (!DISTRIBUTION.matcher(dist).matches()) {
            return FixPlan.cannot("package name '" + printable(dist) + "' for module " + module + " rejected");
        }
        List<String> pip = pipCommand(spec, s);
        String manual = String.join(" ", pip == null ? List.of("python", "-m", "pip") : pip) + " install " + dist;
        if (deny.contains(module) || deny.contains(dist)) {
            return FixPlan.cannot("'" + dist + "' is on the catalog's pip_install deny-list");
        }
        if (s.inContainer()) {
            return inContainer(spec, s, module, dist);
        }
        String policy = s.policy();
        if (policy.equals("known") && !packages.containsKey(module) && !allow.contains(module) && !allow.contains(dist)) {
            return FixPlan.cannot("module '" + module + "' is not in the catalog's package map or allow-list (it may be a typo"
                    + " or a typo-squatted name); not installing it. To install it anyway: " + manual);
        }
        if (pip == null) {
            return FixPlan.cannot("cannot tell which Python '" + spec.getArgv().get(0) + "' runs; give the install command"
                    + " with --pip (e.g. --pip '/path/to/venv/bin/python -m pip'). To install by hand: " + manual);
        }
        List<String> argv = new ArrayList<>(pip);
        argv.add("install");
        argv.addAll(s.installArgs());
        argv.add(dist);
        Duration timeout = s.timeout();
        FixAction install = new FixAction.RunCommand("install " + dist + " (for module " + module + ")", argv, spec.getEnv(),
                spec.getWorkdir(), timeout, false);
        return new FixPlan.Change(spec, List.of("install " + dist + " for module " + module + ": " + String.join(" ", argv)),
                List.of(install), Duration.ZERO);
    }

    /**
     * A container does not outlive its attempt: install onto the package volume the user named
     * ({@code --pip-target DIR}), in a container of the run's image that can reach a package index
     * (a network, or PIP_FIND_LINKS), and put DIR on the next attempt's PYTHONPATH. Otherwise say
     * what to add to the image.
     */
    private static FixPlan inContainer(RunSpec spec, PipInstallSettings s, String module, String dist) {
        String target = s.target();
        boolean reachable = s.indexReachable();
        if (target.isEmpty() || !reachable) {
            return FixPlan.cannot("the run is in a container, which does not outlive the attempt: add '" + dist
                    + "' to the image (RUN pip install " + dist + "), or give a writable package volume (--pip-target DIR)"
                    + " and a network or PIP_FIND_LINKS");
        }
        List<String> pip = s.command();
        if (pip.isEmpty()) {
            String program = Path.of(spec.getArgv().get(0)).getFileName().toString();
            pip = PYTHON.matcher(program).matches() ? List.of(spec.getArgv().get(0), "-m", "pip") : List.of("python3", "-m", "pip");
        }
        List<String> argv = new ArrayList<>(pip);
        argv.add("install");
        argv.addAll(s.installArgs());
        argv.addAll(List.of("--target", target, dist));
        Duration timeout = s.timeout();
        String path = spec.getEnv().get("PYTHONPATH");
        RunSpec next = path != null && List.of(path.split(":")).contains(target) ? spec
                : spec.withEnvVar("PYTHONPATH", path == null || path.isEmpty() ? target : target + ":" + path);
        FixAction install = new FixAction.RunCommand("install " + dist + " (for module " + module + ") into " + target,
                argv, spec.getEnv(), spec.getWorkdir(), timeout, true);
        return new FixPlan.Change(next, List.of("install " + dist + " for module " + module + " into " + target
                + " (in a container): " + String.join(" ", argv), "env PYTHONPATH: " + target + " first"), List.of(install),
                Duration.ZERO);
    }

    private static String missingModule(FixContext context) {
        if (context.failure() == null) {
            return null;
        }
        for (Evidence e : context.failure().getEvidence()) {
            Matcher m = NO_MODULE.matcher(e.text());
            if (m.find()) {
                return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            }
        }
        return null;
    }

    /** {@code <python> -m pip}: the run option or setting {@code command}, else the interpreter the command runs. */
    static List<String> pipCommand(RunSpec spec, PipInstallSettings s) {
        List<String> configured = s.command();
        if (!configured.isEmpty()) {
            return configured;
        }
        String python = interpreter(spec);
        return python == null ? null : List.of(python, "-m", "pip");
    }

    /** argv[0] when it is a Python; else the Python in the shebang of the launcher argv[0] names (torchrun, accelerate). */
    static String interpreter(RunSpec spec) {
        String program = spec.getArgv().get(0);
        String base = Path.of(program).getFileName().toString();
        if (PYTHON.matcher(base).matches()) {
            return program;
        }
        Path exe = onPath(program, spec);
        if (exe == null) {
            return null;
        }
        try (BufferedReader r = Files.newBufferedReader(exe, StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            if (first == null || !first.startsWith("#!")) {
                return null;
            }
            String[] words = first.substring(2).strip().split("\\s+");
            if (words.length == 0) {
                return null;
            }
            // "#!/usr/bin/env python3" names the interpreter through env
            String candidate = Path.of(words[0]).getFileName().toString().equals("env") && words.length > 1 ? words[1] : words[0];
            return PYTHON.matcher(Path.of(candidate).getFileName().toString()).matches() ? candidate : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path onPath(String program, RunSpec spec) {
        if (program.contains("/")) {
            Path p = spec.getWorkdir().resolve(program);
            return Files.isRegularFile(p) ? p : null;
        }
        for (String dir : spec.getEnv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir).resolve(program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Log text shown in a message: control characters and excess length removed. */
    private static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }
}
