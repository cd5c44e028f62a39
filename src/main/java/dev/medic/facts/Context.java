package dev.medic.facts;

/**
 * What medic knows of the machine when an attempt ends: free space where the run writes, and how
 * many GPUs the attempt could see. -1 means unknown (a replayed log, unless given by options).
 */
public final class Context {
    /** Below this much free space a failed write is taken to be a full disk. */
    public static final long LOW_DISK_BYTES = 1L << 30;

    private final long diskFreeBytes;
    private final long diskTotalBytes;
    private final int gpus;

    public Context(long diskFreeBytes, long diskTotalBytes, int gpus) {
        this.diskFreeBytes = diskFreeBytes;
        this.diskTotalBytes = diskTotalBytes;
        this.gpus = gpus;
    }

    public static Context unknown() {
        return new Context(-1, -1, -1);
    }

    public long getDiskFreeBytes() {
        return diskFreeBytes;
    }

    public long getDiskTotalBytes() {
        return diskTotalBytes;
    }

    /** GPUs visible to the attempt, or -1 when unknown. */
    public int getGpus() {
        return gpus;
    }

    public boolean isDiskKnown() {
        return diskFreeBytes >= 0;
    }

    /** Less than 1 GiB, or less than 1% of the file system, is free. False when unknown. */
    public boolean isDiskLow() {
        if (diskFreeBytes < 0) {
            return false;
        }
        return diskFreeBytes < LOW_DISK_BYTES || (diskTotalBytes > 0 && diskFreeBytes * 100 < diskTotalBytes);
    }

    @Override
    public String toString() {
        return "Context(diskFree=" + diskFreeBytes + ", gpus=" + gpus + ")";
    }
}
