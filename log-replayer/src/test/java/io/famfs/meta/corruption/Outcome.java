package io.famfs.meta.corruption;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;

/**
 * What opening a device and replaying its whole log did: a typed error at open, a replay (stopped or not), or any
 * other throwable (always a failure for these tests).
 *
 * @param openError the {@link FormatException} thrown while opening or sizing the namespace, or null
 * @param namespace the replayed namespace, or null when opening failed
 * @param result the replay pass, or null when opening failed
 * @param other anything else thrown, or null
 */
record Outcome(FormatException openError, Namespace namespace, ReadResult result, Throwable other) {

    static Outcome openAndReplay(Device device, ReadMode mode) {
        try {
            FamfsVolume volume = FamfsVolume.open(device);
            Replayer.Replay replay = Replayer.replayAll(volume, mode);
            return new Outcome(null, replay.namespace(), replay.result(), null);
        } catch (FormatException e) {
            return new Outcome(e, null, null, null);
        } catch (Throwable t) {
            return new Outcome(null, null, null, t);
        }
    }

    /** The typed error: the open error, or the entry replay stopped at; null for a full replay. */
    FormatException error() {
        if (openError != null) {
            return openError;
        }
        return result == null ? null : result.stoppedBy();
    }

    FormatError errorKind() {
        FormatException e = error();
        return e == null ? null : e.error();
    }

    long errorIndex() {
        FormatException e = error();
        return e == null ? FormatException.NO_INDEX : e.index();
    }

    @Override
    public String toString() {
        if (other != null) {
            return "unexpected " + other;
        }
        if (openError != null) {
            return "open error " + openError.error() + " (" + openError.getMessage() + ")";
        }
        return "replay [" + result.from() + ", " + result.end() + ") of next_index " + result.to()
                + (result.stopped() ? " stopped by " + result.stoppedBy().getMessage() : "");
    }
}
