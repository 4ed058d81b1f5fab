package io.famfs.meta.agent.bridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A V9 famfs kernel's view of a GET_FMAP reply, written for the tests from famfs-format.md section 10 alone (it shares
 * no code or constants with the encoder): {@link #decode} applies every check of "What the V9 kernel rejects", and
 * {@link #resolve} is "How the kernel resolves a file offset".
 */
final class V9Fmap {
    static final long PMD = 2L * 1024 * 1024;

    /** The kernel refused the reply (the OPEN would fail). */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    /** A simple extent or a strip, as read (u32 devindex, u64 offset and length). */
    record Ext(long devIndex, long offset, long length) {}

    record Iext(long nstrips, long chunkSize, long nbytes, List<Ext> strips) {}

    /** A device offset on a daxdev, good for {@code bytes} bytes from there. */
    record Resolved(long devIndex, long devOffset, long bytes) {}

    final int fileType;
    final int fmapVersion;
    final long extType;
    final long nextents;
    final long fileSize;
    /** Bytes the header's extents occupy: header plus records. */
    final int declaredLength;

    final List<Ext> simple = new ArrayList<>();
    final List<Iext> iexts = new ArrayList<>();

    private V9Fmap(ByteBuffer b) {
        fileType = b.get(0) & 0xff;
        fmapVersion = b.getShort(2) & 0xffff;
        extType = b.getInt(4) & 0xffffffffL;
        nextents = b.getInt(8) & 0xffffffffL;
        fileSize = b.getLong(16);

        if (nextents < 1 || nextents > 32) {
            throw new Rejected("nextents " + nextents);
        }
        long extentTotal = 0;
        int at = 32;
        if (extType == 0) {
            if (at + nextents * 24 > b.limit()) {
                throw new Rejected("simple extents run past the reply");
            }
            for (int i = 0; i < nextents; i++, at += 24) {
                Ext e = ext(b, at);
                checkExt(e);
                simple.add(e);
                extentTotal += e.length();
            }
        } else if (extType == 1) {
            long remainder = fileSize;
            for (int i = 0; i < nextents; i++) {
                if (at + 24 > b.limit()) {
                    throw new Rejected("interleaved extent header runs past the reply");
                }
                long nstrips = b.getInt(at) & 0xffffffffL;
                long chunk = b.getInt(at + 4) & 0xffffffffL;
                long nbytes = b.getLong(at + 8);
                at += 24;
                if (chunk % PMD != 0) {
                    throw new Rejected("chunk size not PMD aligned");
                }
                if (nbytes == 0) {
                    throw new Rejected("ie_nbytes 0");
                }
                if (at + nstrips * 24 > b.limit()) {
                    throw new Rejected("strips run past the reply");
                }
                if (nstrips < 1 || nstrips > 32) {
                    throw new Rejected("nstrips " + nstrips);
                }
                List<Ext> strips = new ArrayList<>();
                for (int j = 0; j < nstrips; j++, at += 24) {
                    Ext e = ext(b, at);
                    checkExt(e);
                    strips.add(e);
                    extentTotal += e.length();
                    remainder -= e.length();
                }
                iexts.add(new Iext(nstrips, chunk, nbytes, strips));
            }
            if (remainder > 0) {
                throw new Rejected("strips sum to less than the file size");
            }
        } else {
            throw new Rejected("ext_type " + extType);
        }
        if (Long.compareUnsigned(extentTotal, fileSize) < 0) {
            throw new Rejected("extents sum to less than the file size");
        }
        declaredLength = at;
    }

    /** Decodes {@code reply} as a V9 kernel would, or throws {@link Rejected} where it would fail the OPEN. */
    static V9Fmap decode(byte[] reply) {
        if (reply.length > 4096) {
            throw new Rejected("reply larger than the kernel's one-page buffer");
        }
        if (reply.length < 32) {
            throw new Rejected("reply shorter than the header");
        }
        return new V9Fmap(ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static Ext ext(ByteBuffer b, int at) {
        return new Ext(b.getInt(at) & 0xffffffffL, b.getLong(at + 8), b.getLong(at + 16));
    }

    private static void checkExt(Ext e) {
        if (e.devIndex() != 0) {
            throw new Rejected("devindex " + e.devIndex());
        }
        if (e.offset() % PMD != 0 || e.length() % PMD != 0) {
            throw new Rejected("extent not PMD aligned");
        }
    }

    /** Resolves {@code fileOffset} in [0, file size) as the kernel does; throws where the kernel fails with EIO. */
    Resolved resolve(long fileOffset) {
        if (fileOffset < 0 || fileOffset >= fileSize) {
            throw new IllegalArgumentException("offset " + fileOffset + " outside the file");
        }
        long local = fileOffset;
        if (extType == 0) {
            for (Ext e : simple) {
                if (local < e.length()) {
                    return new Resolved(e.devIndex(), e.offset() + local, e.length() - local);
                }
                local -= e.length();
            }
        } else {
            for (Iext ie : iexts) {
                long extSize = Math.min(ie.nbytes(), fileSize);
                if (extSize == 0) {
                    break;
                }
                if (local < extSize) {
                    long chunk = local / ie.chunkSize();
                    long chunkOffset = local % ie.chunkSize();
                    long stripe = chunk / ie.nstrips();
                    Ext strip = ie.strips().get((int) (chunk % ie.nstrips()));
                    return new Resolved(
                            strip.devIndex(),
                            strip.offset() + stripe * ie.chunkSize() + chunkOffset,
                            ie.chunkSize() - chunkOffset);
                }
                local -= extSize;
            }
        }
        throw new Rejected("offset " + fileOffset + " falls off the extent list");
    }
}
