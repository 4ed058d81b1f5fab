package io.famfs.meta.log;

import io.famfs.meta.format.FormatException;
import java.util.List;

/**
 * What one pass of the {@link LogReader} did.
 *
 * @param from first index read
 * @param end the index after the last entry handed out (the stop index when stopped)
 * @param nextIndex the {@code next_index} the pass read up to
 * @param stoppedBy the bad entry replay stopped at, or null
 * @param skipped bad entries skipped in {@link ReadMode#SKIP_BAD}
 */
public record ReadResult(
        long from, long end, long nextIndex, FormatException stoppedBy, List<FormatException> skipped) {
    public boolean stopped() {
        return stoppedBy != null;
    }
}
