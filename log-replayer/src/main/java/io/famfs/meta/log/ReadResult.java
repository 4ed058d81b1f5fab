package io.famfs.meta.log;

import io.famfs.meta.format.FormatException;
import java.util.List;

/**
 * What one pass of the {@link LogReader} did.
 *
 * @param from first index read
 * @param end the index after the last entry handed out (the stop index when stopped)
 * @param to the end of the range the pass was asked to read (a next_index read from the log)
 * @param stoppedBy the bad entry replay stopped at, or null
 * @param skipped the first {@link LogReader#KEPT_ERRORS} bad entries skipped in {@link ReadMode#SKIP_BAD}
 * @param skippedCount how many bad entries were skipped in all
 */
public record ReadResult(
        long from, long end, long to, FormatException stoppedBy, List<FormatException> skipped, long skippedCount) {
    public boolean stopped() {
        return stoppedBy != null;
    }
}
