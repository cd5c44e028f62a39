package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.util.Hosts;
import dev.medic.util.PrivateFolder;
import dev.medic.util.Supervisors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code <run>/medic.lock}: one supervisor a run. The operating system's lock on the file decides
 * (it dies with its holder, so a killed supervisor never blocks the next); the file's text names
 * the holder (pid, start time, host) so that {@code ps}, {@code stop} and the refusal message can
 * say who it is. A clean release empties the file; a holder's text left in a file nobody locks is
 * a stale lock, which the next supervisor takes over and reports.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "medic.lock";

    /** The supervisor a lock file names. */
    public record Owner(long pid, long startMillis, String host) {
        public boolean onThisHost() {
            return host.equals(Hosts.name());
        }

        /**
         * False when it is known not to supervise the run in {@code runDir}: dead, its pid reused,
         * or not a medic holding the run's lock file. A holder on another host cannot be checked from here.
         */
        public boolean maybeAlive(Path runDir) {
            return !onThisHost() || Supervisors.holdsOpen(pid, startMillis, runDir.resolve(FILE));
        }

        public String describe() {
            return "pid " + pid + " on " + host + " since " + Instant.ofEpochMilli(startMillis);
        }

        String text() {
            return pid + " " + startMillis + " " + host + "\n";
        }

        static Optional<Owner> parse(String text) {
            String[] f = text.strip().split(" ");
            if (f.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Owner(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final Owner stale;

    private RunLock(FileChannel channel, FileLock lock, Owner stale) {
        this.channel = channel;
        this.lock = lock;
        this.stale = stale;
    }

    /** Takes the run's lock for this process, or refuses (exit code 5) naming the supervisor that holds it. */
    public static RunLock acquire(Path runDir) {
        Path file = runDir.resolve(FILE);
        FileChannel ch = null;
        try {
            // never through a link: a planted medic.lock would have the truncate below empty its target
            ch = PrivateFolder.of(runDir, PrivateFolder.RUN_FOLDER).readWrite(file);
            FileLock lock;
            boolean advisory = false;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            } catch (IOException noLocksHere) {
                // a file system without POSIX locks (Lustre without flock, NFS without lockd): the
                // holder's text is all there is, so a live holder it names still keeps us off
                lock = null;
                advisory = true;
                try {
                    refuseIfHeld(runDir);
                } catch (MedicException held) {
                    ch.close();
                    throw held;
                }
            }
            if (lock == null && !advisory) {
                ch.close();
                throw held(runDir, owner(runDir));
            }
            Owner previous = Owner.parse(read(ch)).orElse(null);
            long[] self = Supervisors.self();
            byte[] text = new Owner(self[0], self[1], Hosts.name()).text().getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(false);
            return new RunLock(ch, lock, previous);
        } catch (IOException e) {
            closeQuietly(ch);
            throw MedicException.badInput("cannot lock the run folder " + runDir + ": " + e.getMessage());
        }
    }

    /**
     * Refuses (exit code 5) when the lock file names a supervisor that is alive, without taking the
     * lock: for a process that hands the run to another ({@code --detach}).
     */
    public static void refuseIfHeld(Path runDir) {
        Optional<Owner> live = liveOwner(runDir);
        if (live.isPresent()) {
            throw held(runDir, live);
        }
    }

    private static MedicException held(Path runDir, Optional<Owner> owner) {
        return new MedicException(ExitCodes.RUN_LOCKED, "run " + runDir.getFileName() + " is already supervised by another medic"
                + owner.map(o -> " (" + o.describe() + ")").orElse(""));
    }

    /** The supervisor the lock file names, unless it is known not to hold the run (see {@link Owner#maybeAlive}): the run's live holder. */
    public static Optional<Owner> liveOwner(Path runDir) {
        return owner(runDir).filter(o -> o.maybeAlive(runDir));
    }

    /** The supervisor the lock file names, if any (it may have died without releasing it). */
    public static Optional<Owner> owner(Path runDir) {
        try {
            return Owner.parse(Files.readString(runDir.resolve(FILE), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when the file system gave no lock and only the holder's text guards the run. */
    public boolean advisory() {
        return lock == null;
    }

    /** The supervisor that held this run before and died without releasing it, if any. */
    public Optional<Owner> takenOverFrom() {
        return Optional.ofNullable(stale);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            if (lock != null) {
                lock.release();
            }
            channel.close();
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }
}
