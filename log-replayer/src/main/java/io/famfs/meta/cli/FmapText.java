package io.famfs.meta.cli;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.util.ArrayList;
import java.util.List;

/** Text lines describing a file map, shared by getmap and dump. */
public final class FmapText {
    private FmapText() {}

    public static List<String> lines(Fmap fmap) {
        List<String> lines = new ArrayList<>();
        switch (fmap) {
            case SimpleFmap simple -> {
                lines.add("extents:  " + simple.count() + " simple");
                for (int i = 0; i < simple.count(); i++) {
                    lines.add("  " + i + ": " + extent(simple.extents().get(i)));
                }
            }
            case InterleavedFmap interleaved -> {
                lines.add("extents:  " + interleaved.count() + " interleaved");
                for (InterleavedExtent ie : interleaved.extents()) {
                    lines.add("  " + ie.nstrips() + " strips, chunk size 0x" + Long.toHexString(ie.chunkSize()));
                    for (int j = 0; j < ie.nstrips(); j++) {
                        lines.add("  strip " + j + ": " + extent(ie.strips().get(j)));
                    }
                }
            }
        }
        return lines;
    }

    static String extent(Extent e) {
        return "dev " + e.devIndex() + " offset 0x" + Long.toHexString(e.offset()) + " length 0x"
                + Long.toHexString(e.length());
    }
}
